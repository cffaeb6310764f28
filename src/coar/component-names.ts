/**
 * Component names and positions, without tfjs: a component's global index ↔ its layer and channel,
 * and the `layer#index` names the CLI, run files, share links and the page use. Works on anything
 * that lists layers with their component counts (and offsets): a `ComponentIndex`, a run file's
 * layer list, the page's heatmap rows.
 */
import { CoarError } from './errors';

/** A layer as the name helpers need it: its name, component count and first global index. */
export interface NamedLayer {
  name: string;
  count: number;
  offset: number;
}

/** Every component's name (`layer#index`), in global index order; takes an index or a run file's layer list. */
export function componentNames(index: { layers: readonly { name: string; count: number }[] }): string[] {
  return index.layers.flatMap((l) => Array.from({ length: l.count }, (_, c) => `${l.name}#${c}`));
}

/**
 * The layer holding global component `i` (and its position in `index.layers`), and the component's
 * index within that layer. Throws (`bad-component`) when `i` is not one of the `index.count` components.
 */
export function locateComponent<L extends { offset: number }>(index: { layers: readonly L[]; count: number }, i: number): { layer: L; channel: number; layerIndex: number } {
  if (!Number.isInteger(i) || i < 0 || i >= index.count) throw new CoarError(`Component ${i} does not exist (there are ${index.count}).`, 'bad-component');
  let lo = 0;
  let hi = index.layers.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (index.layers[mid].offset <= i) lo = mid; else hi = mid - 1;
  }
  const layer = index.layers[lo];
  return { layer, channel: i - layer.offset, layerIndex: lo };
}

/** The name (`layer#index`) of global component `i`. */
export function componentName(index: { layers: readonly NamedLayer[]; count: number }, i: number): string {
  const { layer, channel } = locateComponent(index, i);
  return `${layer.name}#${channel}`;
}

/** The global index named `layer#index`, or undefined when no component has that name. */
export function findComponent(index: { layers: readonly NamedLayer[] }, name: string): number | undefined {
  const hash = name.lastIndexOf('#');
  if (hash <= 0) return undefined;
  const layer = index.layers.find((l) => l.name === name.slice(0, hash));
  const text = name.slice(hash + 1);
  const channel = /^\d+$/.test(text) ? Number(text) : -1;
  return layer && channel >= 0 && channel < layer.count ? layer.offset + channel : undefined;
}

/** Parses `layer#index` back to a global index; throws (`bad-component`) on a name no component has. */
export function parseComponentName(index: { layers: readonly NamedLayer[] }, name: string): number {
  const i = findComponent(index, name);
  if (i === undefined) {
    const example = index.layers.length > 0 ? `, e.g. ${index.layers[0].name}#0` : '';
    throw new CoarError(`Unknown component "${name}" (expected layer#channel${example}).`, 'bad-component');
  }
  return i;
}

/** Global indices for names like `layer#3`, in the order given; the names that match no component are returned apart. */
export function componentsByName(index: { layers: readonly NamedLayer[] }, names: readonly string[]): { indices: number[]; unknown: string[] } {
  const indices: number[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const i = findComponent(index, name);
    if (i === undefined) unknown.push(name); else indices.push(i);
  }
  return { indices, unknown };
}
