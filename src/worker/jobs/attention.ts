/** The attention-pattern request: one run example through the model, up to an attention layer. */
import { attentionPattern } from '../../coar/attention-pattern';
import { CoarError } from '../../coar/errors';
import type { AttentionPatternView } from '../protocol/protocol';
import { transferablesOf } from '../protocol/protocol';
import { keepVector } from '../../coar/predict';
import { checkComponentList } from './views';
import type { RunState, Workspace } from '../workspace/workspace';

export async function attentionPatternOf(ws: Workspace, state: RunState, layer: unknown, example: unknown, components: unknown): Promise<{ view: AttentionPatternView; transfer: ArrayBuffer[] }> {
  const n = state.run.labels.length;
  if (!Number.isInteger(example) || (example as number) < 0 || (example as number) >= n) throw new CoarError(`Example ${String(example)} is not one of the run's ${n} examples.`, 'bad-request');
  if (typeof layer !== 'string') throw new CoarError('The attention layer must be named.', 'bad-request');
  const ablated = checkComponentList(components, state.run.componentCount);
  const session = ws.sessionOf(state);
  const x = session.inputs.slice(example as number, 1);
  try {
    const pattern = await attentionPattern(session.masked, ws.componentsOf(state), layer, x, keepVector(state.run.componentCount, ablated));
    const view: AttentionPatternView = { ...pattern, slot: state.slot, example: example as number, components: ablated };
    return { view, transfer: transferablesOf(view.weights) };
  } finally {
    x.dispose();
  }
}
