/** A component's name as the page shows it: layer#channel (as in the CLI's output). */
import type { RunView } from '../../worker/protocol/protocol';

export function componentLabel(run: Pick<RunView, 'layers'>, i: number): string {
  const layer = run.layers.find((l) => i >= l.offset && i < l.offset + l.count);
  return layer ? `${layer.name}#${i - layer.offset}` : `#${i}`;
}
