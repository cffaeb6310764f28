/**
 * A time estimate before the first run: (example, mask) pairs per second of the loaded model on
 * the current backend, timed on a few masks after a warm-up pass. Cached per workspace.
 */
import { createSession, disposeSession, runMaskRows } from '../../coar/ablate';
import { discoverComponents } from '../../coar/components';
import { inputTensor, labelsOf } from '../../coar/dataset';
import { MaskStream, sampleMasks } from '../../coar/masks';
import type { Workspace } from '../workspace/workspace';

/** Examples and mask rows timed: enough for a stable rate, small enough to answer within a second or two. */
const TIMED = { examples: 64, rows: 3 };

const cache = new WeakMap<Workspace, Map<string, number>>();

export async function estimateRate(ws: Workspace, exampleCount: number): Promise<number> {
  const n = Math.max(1, Math.min(exampleCount, TIMED.examples, ws.data.meta.count));
  const key = `${ws.backend.name}:${n}`;
  const known = cache.get(ws)?.get(key);
  if (known) return known;
  const components = discoverComponents(ws.model);
  const idx = Array.from({ length: n }, (_, i) => i);
  const session = createSession(ws.model, components, inputTensor(ws.data, idx), labelsOf(ws.data, idx), 'zero-weights', 'margin', ws.summary.scores);
  try {
    const masks = sampleMasks({ componentCount: components.count, alpha: 0.05, seed: 0, stream: MaskStream.evaluation }, TIMED.rows);
    const route = ws.routeFor() ?? 'shared';
    await runMaskRows(session, masks, 0, 1, route, ws.pairsPerBatch);
    const started = performance.now();
    await runMaskRows(session, masks, 0, TIMED.rows, route, ws.pairsPerBatch);
    const rate = (TIMED.rows * n) / ((performance.now() - started) / 1000);
    if (!cache.has(ws)) cache.set(ws, new Map());
    cache.get(ws)!.set(key, rate);
    return rate;
  } finally {
    disposeSession(session);
  }
}
