/** The memory check: a batch too big for the budget shrinks; only a model that cannot run one pair is refused. */
import { describe, expect, it } from 'vitest';
import type { ModelSummary } from '../../src/coar/model-summary';
import { checkMemory, memoryBudget } from '../../src/worker/backend/memory';

const MB = 2 ** 20;

function summary(weightBytes: number, activationBytesPerExample: number): ModelSummary {
  return { name: 'm', inputShape: [null, 8, 8, 1], classCount: 2, layers: [], paramCount: weightBytes / 4, componentCount: 4, weightBytes, activationBytesPerExample, finalActivation: null, scores: 'as-is', scoresNote: '' };
}

describe('memory check', () => {
  const budget = memoryBudget('wasm', null).bytes;

  it('keeps the wanted batch when it fits', () => {
    const check = checkMemory(summary(4 * MB, 0.5 * MB), 'wasm', null, 512);
    expect(check).toMatchObject({ pairsPerBatch: 512, fits: true, problem: null, bytesPerPair: 1 * MB });
    expect(check.peakBytes).toBe(4 * MB + 512 * MB);
  });

  it('shrinks the batch to what the budget holds', () => {
    const check = checkMemory(summary(100 * MB, 8 * MB), 'wasm', null, 512);
    expect(check.fits).toBe(true);
    expect(check.pairsPerBatch).toBe(Math.floor((budget - 100 * MB) / (16 * MB)));
    expect(check.peakBytes).toBeLessThanOrEqual(budget);
  });

  it('refuses a model that cannot run even one pair, saying how much it needs', () => {
    const check = checkMemory(summary(budget, 8 * MB), 'wasm', null, 512);
    expect(check.fits).toBe(false);
    expect(check.pairsPerBatch).toBe(1);
    expect(check.problem).toMatch(/^The model needs about 2\.0 GB \(2\.0 GB of weights \+ 1 pairs per batch × 16 MB\) but the wasm backend \(a 2 GiB heap at most\) offers about 2\.0 GB/);
  });
});
