import { describe, expect, it } from 'vitest';
import { ablatedIndices, MaskStream, sampleMasks, selectMasks, writeKeepMask } from '../../src/coar/masks';

describe('mask sampling', () => {
  const spec = { componentCount: 300, alpha: 0.05, seed: 7, stream: MaskStream.train };

  it('is reproducible and shardable: any row range equals the same rows of the whole', () => {
    const whole = sampleMasks(spec, 50);
    expect(sampleMasks(spec, 50).ablated).toEqual(whole.ablated);
    const tail = sampleMasks(spec, 20, 30);
    expect(tail.ablated).toEqual(whole.ablated.slice(30 * whole.wordsPerMask));
  });

  it('ablates each component with probability alpha (bernoulli)', () => {
    const set = sampleMasks(spec, 2000);
    let total = 0;
    for (let r = 0; r < set.count; r++) total += ablatedIndices(set, r).length;
    const rate = total / (set.count * spec.componentCount);
    expect(rate).toBeGreaterThan(0.045);
    expect(rate).toBeLessThan(0.055);
    const sizes = new Set(Array.from({ length: 50 }, (_, r) => ablatedIndices(set, r).length));
    expect(sizes.size).toBeGreaterThan(3); // binomial sizes vary
  });

  it('ablates exactly round(alpha·N) per subset in exact mode', () => {
    const set = sampleMasks({ ...spec, mode: 'exact' }, 200);
    for (let r = 0; r < set.count; r++) expect(ablatedIndices(set, r).length).toBe(15);
  });

  it('uses different rows for different streams, seeds and alphas', () => {
    const a = sampleMasks(spec, 10).ablated;
    expect(sampleMasks({ ...spec, stream: MaskStream.validation }, 10).ablated).not.toEqual(a);
    expect(sampleMasks({ ...spec, seed: 8 }, 10).ablated).not.toEqual(a);
    expect(sampleMasks({ ...spec, alpha: 0.1 }, 10).ablated).not.toEqual(a);
  });

  it('decodes keep-masks and selects rows', () => {
    const set = sampleMasks(spec, 5);
    const keep = new Float32Array(300);
    writeKeepMask(set, 3, keep);
    const ablated = ablatedIndices(set, 3);
    expect(keep.reduce((s, v) => s + v, 0)).toBe(300 - ablated.length);
    for (const i of ablated) expect(keep[i]).toBe(0);
    expect(ablatedIndices(selectMasks(set, [3]), 0)).toEqual(ablated);
  });

  it('rejects alpha outside (0, 1)', () => {
    for (const alpha of [0, 1, -0.1, 1.5, NaN]) expect(() => sampleMasks({ ...spec, alpha }, 1)).toThrow(/alpha must be a fraction strictly between 0 and 1/);
  });
});
