/**
 * Finding components by name in the heatmap: "layer#channel" names one component; any other text
 * names the layers whose name starts with it (or, failing that, contains it). Case does not matter.
 */
import type { LayerRow } from './heatmap-data';

export interface SearchResult {
  /** Global indices of the components found (one for a full name, every channel of the layers found). */
  cells: number[];
  /** Indices of the layers found (for a full name: its layer). */
  layers: number[];
  /** The component to focus, or null when nothing matched. */
  focus: number | null;
  /** What was found, or why nothing was, in words. */
  message: string;
}

const EMPTY: SearchResult = { cells: [], layers: [], focus: null, message: '' };

function layersNamed(layers: LayerRow[], text: string): number[] {
  const t = text.toLowerCase();
  const exact = layers.flatMap((l, r) => (l.name.toLowerCase() === t ? [r] : []));
  if (exact.length) return exact;
  const prefix = layers.flatMap((l, r) => (l.name.toLowerCase().startsWith(t) ? [r] : []));
  if (prefix.length) return prefix;
  return layers.flatMap((l, r) => (l.name.toLowerCase().includes(t) ? [r] : []));
}

function listNames(layers: LayerRow[], found: number[], max = 4): string {
  const names = found.slice(0, max).map((r) => layers[r].name);
  return found.length > max ? `${names.join(', ')} and ${found.length - max} more` : names.join(', ');
}

export function searchComponents(layers: LayerRow[], query: string): SearchResult {
  const q = query.trim();
  if (!q) return EMPTY;
  const hash = q.lastIndexOf('#');
  if (hash >= 0) {
    const name = q.slice(0, hash).trim();
    const channelText = q.slice(hash + 1).trim();
    const found = name ? layersNamed(layers, name) : [];
    if (!found.length) return { ...EMPTY, message: `No layer is called “${name || q}”.` };
    if (found.length > 1) return { ...EMPTY, layers: found, message: `“${name}” names ${found.length} layers (${listNames(layers, found)}): type the whole layer name before #.` };
    const layer = layers[found[0]];
    const channel = Number(channelText);
    if (!/^\d+$/.test(channelText) || channel >= layer.count) {
      return { ...EMPTY, layers: found, message: `${layer.name} has channels 0–${layer.count - 1}; “${channelText}” is not one of them.` };
    }
    const i = layer.offset + channel;
    return { cells: [i], layers: found, focus: i, message: `Found ${layer.name}#${channel}.` };
  }
  const found = layersNamed(layers, q);
  if (!found.length) return { ...EMPTY, message: `No component or layer matches “${q}”. Names look like ${layers[0] ? `${layers[0].name}#0` : 'layer#channel'}.` };
  const cells = found.flatMap((r) => Array.from({ length: layers[r].count }, (_, c) => layers[r].offset + c));
  const first = layers[found[0]];
  const what = found.length === 1 ? `Layer ${first.name} (${first.count} components)` : `${found.length} layers (${listNames(layers, found)}), ${cells.length} components`;
  return { cells, layers: found, focus: first.offset, message: `${what} found; focused ${first.name}#0.` };
}
