/**
 * Where every heatmap cell sits, as pure geometry: one block per layer, long layers wrapped into
 * several lines of equal width so that each cell keeps a minimum size and the grid fits the width
 * it is given. Labels sit left of the rows on wide screens and above them on narrow ones.
 * Also the arrow-key moves over that wrapped grid.
 */
import { componentKindById } from '../../coar/component-kinds';
import type { LayerRow } from './heatmap-data';

export interface LayoutOptions {
  /** Smallest horizontal step from one cell to the next (drawn cell = step − 1 px gap). */
  minPitch?: number;
  /** Largest step: few channels are not stretched into bars. */
  maxPitch?: number;
  /** Labels left of the rows, above them, none (a zoomed layer has its own heading), or by width. */
  labels?: 'auto' | 'left' | 'above' | 'none';
  /** Line height: a number, 'pitch' for square cells (a zoomed layer), or by default one that follows the number of lines. */
  lineHeight?: number | 'pitch';
}

export interface LayerBlock {
  /** Index into the layers the layout was made from. */
  index: number;
  layer: LayerRow;
  /** The label as drawn (shortened with … when it does not fit), and its baseline position. */
  label: string;
  labelX: number;
  labelY: number;
  /** Top of the block (label line included when labels sit above) and of its first line of cells. */
  top: number;
  cellsTop: number;
  lines: number;
  height: number;
}

export interface HeatmapLayout {
  width: number;
  height: number;
  labels: 'left' | 'above' | 'none';
  labelWidth: number;
  /** x of the first column, cells per line, the step between columns and the drawn cell size. */
  gridLeft: number;
  columns: number;
  pitch: number;
  cellWidth: number;
  lineHeight: number;
  cellHeight: number;
  /** True when some layer needs more than one line (the column axis is then not drawn). */
  wrapped: boolean;
  /** Space above the first block (for the column axis). */
  top: number;
  blocks: LayerBlock[];
}

export const MIN_PITCH = 7;
const MAX_PITCH = 48;
const LEFT_LABELS_FROM = 600;
const LABEL_LINE = 20;
const LAYER_GAP = 6;
const AXIS = 24;
/** Rough width of one label character at the label font size, in px. */
const CHAR = 8;

function lineHeightFor(lines: number): number {
  if (lines <= 8) return 40;
  if (lines <= 12) return 32;
  if (lines <= 24) return 24;
  if (lines <= 48) return 16;
  return 12;
}

/** "(4 heads)", "(64 filters)": the count in its kind's words. */
function countText(layer: LayerRow): string {
  const kind = layer.kind ? componentKindById(layer.kind) : undefined;
  return kind ? `(${layer.count} ${layer.count === 1 ? kind.unit : kind.units})` : `(${layer.count})`;
}

function labelText(layer: LayerRow): string {
  return `${layer.name} ${countText(layer)}`;
}

/** The label shortened from the left of its name (the end of a layer path tells most) to fit maxChars. */
export function fitLabel(layer: LayerRow, maxChars: number): string {
  const full = labelText(layer);
  if (full.length <= maxChars) return full;
  const tail = ` ${countText(layer)}`;
  const room = Math.max(1, maxChars - tail.length - 1);
  return `…${layer.name.slice(-room)}${tail}`;
}

/**
 * Columns per line when the widest layer does not fit on one: the largest divisor of its channel
 * count that fits and keeps at least half the width (every line full, channel c at column
 * c mod columns in every layer of that size), else the widest layer split into k equal lines for
 * the smallest k that fits. Never fewer than one column.
 */
export function chooseColumns(maxCount: number, gridWidth: number, minPitch: number): number {
  const fit = Math.max(1, Math.floor(gridWidth / minPitch));
  if (maxCount <= fit) return Math.max(1, maxCount);
  for (let d = fit; d >= Math.ceil(fit / 2) && d > 1; d--) if (maxCount % d === 0) return d;
  for (let k = 2; k <= maxCount; k++) {
    const cols = Math.ceil(maxCount / k);
    if (cols <= fit) return cols;
  }
  return fit;
}

export function layoutHeatmap(layers: LayerRow[], width: number, options: LayoutOptions = {}): HeatmapLayout {
  const minPitch = options.minPitch ?? MIN_PITCH;
  const maxPitch = Math.max(minPitch, options.maxPitch ?? MAX_PITCH);
  const maxCount = Math.max(1, ...layers.map((l) => l.count));
  const longest = Math.max(0, ...layers.map((l) => labelText(l).length));
  let labels = options.labels ?? 'auto';
  let labelWidth = Math.min(220, Math.max(110, longest * CHAR + 14));
  if (labels === 'auto') labels = width >= LEFT_LABELS_FROM ? 'left' : 'above';
  if (labels !== 'left') labelWidth = 0;
  const gridLeft = labelWidth;
  const gridWidth = Math.max(minPitch, width - gridLeft);
  const columns = chooseColumns(maxCount, gridWidth, minPitch);
  const pitch = Math.min(maxPitch, gridWidth / columns);
  const linesOf = (l: LayerRow) => Math.max(1, Math.ceil(l.count / columns));
  const totalLines = layers.reduce((s, l) => s + linesOf(l), 0);
  const wrapped = layers.some((l) => linesOf(l) > 1);
  const wanted = options.lineHeight === 'pitch' ? Math.min(pitch, MAX_PITCH) : options.lineHeight ?? lineHeightFor(totalLines);
  const lineHeight = Math.max(minPitch, wanted);
  const gap = wrapped || labels === 'above' ? LAYER_GAP : 0;
  const top = labels === 'left' && !wrapped ? AXIS : 2;
  const maxChars = labels === 'left' ? Math.floor((labelWidth - 10) / CHAR) : Math.floor(width / CHAR);

  const blocks: LayerBlock[] = [];
  let y = top;
  layers.forEach((layer, index) => {
    const lines = linesOf(layer);
    const head = labels === 'above' ? LABEL_LINE : 0;
    const cellsTop = y + head;
    const labelY = labels === 'above' ? y + LABEL_LINE - 6 : cellsTop + lineHeight / 2;
    const height = head + lines * lineHeight;
    blocks.push({ index, layer, label: fitLabel(layer, maxChars), labelX: labels === 'left' ? labelWidth - 8 : 0, labelY, top: y, cellsTop, lines, height });
    y += height + gap;
  });
  const height = Math.ceil(y - gap + 4);
  return {
    width, height, labels, labelWidth, gridLeft, columns, pitch, cellWidth: Math.max(pitch - 1, 0.5),
    lineHeight, cellHeight: Math.max(lineHeight - 2, 1), wrapped, top, blocks,
  };
}

/** The block holding global component i, or −1 when i is not in the layers laid out. */
export function blockIndexOf(layout: HeatmapLayout, i: number): number {
  for (let b = layout.blocks.length - 1; b >= 0; b--) {
    const { offset, count } = layout.blocks[b].layer;
    if (i >= offset) return i < offset + count ? b : -1;
  }
  return -1;
}

/** Position of global component i in the layout: its block, line, column and cell rectangle. */
export function cellPlace(layout: HeatmapLayout, i: number): { block: number; line: number; col: number; x: number; y: number } | null {
  const block = blockIndexOf(layout, i);
  if (block < 0) return null;
  const b = layout.blocks[block];
  const c = i - b.layer.offset;
  const line = Math.floor(c / layout.columns);
  const col = c % layout.columns;
  return { block, line, col, x: layout.gridLeft + col * layout.pitch + 0.5, y: b.cellsTop + line * layout.lineHeight + 1 };
}

/** Cells on line `line` of block b (the last line of a layer may be short). */
function lineLength(layout: HeatmapLayout, b: number, line: number): number {
  return Math.min(layout.columns, layout.blocks[b].layer.count - line * layout.columns);
}

/**
 * The component an arrow key reaches from i in the wrapped grid: left/right step through the
 * layer's channels (across its lines), up/down go to the line above/below, in the same layer or
 * the next, at the same column or that line's last cell; Home/End jump to the layer's ends.
 */
export function moveInLayout(layout: HeatmapLayout, i: number, key: string): number {
  const at = cellPlace(layout, i);
  if (!at) return i;
  const b = layout.blocks[at.block];
  const { offset, count } = b.layer;
  const cellAt = (block: number, line: number) =>
    layout.blocks[block].layer.offset + line * layout.columns + Math.min(at.col, lineLength(layout, block, line) - 1);
  switch (key) {
    case 'ArrowLeft': return i > offset ? i - 1 : i;
    case 'ArrowRight': return i < offset + count - 1 ? i + 1 : i;
    case 'ArrowUp':
      if (at.line > 0) return cellAt(at.block, at.line - 1);
      return at.block > 0 ? cellAt(at.block - 1, layout.blocks[at.block - 1].lines - 1) : i;
    case 'ArrowDown':
      if (at.line < b.lines - 1) return cellAt(at.block, at.line + 1);
      return at.block < layout.blocks.length - 1 ? cellAt(at.block + 1, 0) : i;
    case 'Home': return offset;
    case 'End': return offset + count - 1;
    default: return i;
  }
}
