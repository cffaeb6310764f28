/**
 * Layers × channels grid of per-component values, coloured on a diverging scale centred at 0.
 * Long layers wrap into several lines so every cell keeps a usable size and the grid fits its
 * width (src/ui/charts/heatmap-layout.ts); a layer's label zooms into it; a search box finds components
 * by name. Every cell is a toggle button: arrow keys move, Enter or Space ablates / restores.
 */
import * as d3 from 'd3';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import { ablatedByLayer, cellOf, type LayerRow } from './heatmap-data';
import { layoutHeatmap, moveInLayout } from './heatmap-layout';
import { searchComponents, type SearchResult } from './heatmap-search';
import { LayerCells } from './heatmap-cells';
import { LayerLabels } from './heatmap-labels';
import { ZoomBar } from './heatmap-zoom-bar';
import { ComponentSearch } from './ComponentSearch';
import { HeatmapLegend } from './HeatmapLegend';
import { HeatmapTooltip } from './heatmap-tooltip';
import { useWidth } from '../state/use-width';

interface Props {
  layers: LayerRow[];
  values: Float32Array;
  ablated: number[];
  onToggle: (i: number) => void;
  /** Describes what the values are, for the screen-reader label. */
  caption: string;
  /** The colour scale (shared with the strongest-components list). */
  color: (v: number) => string;
  limit: number;
  /** Called when a cell is looked at (hovered or focused). */
  onLook?: () => void;
  /** The zoomed layer by name, when the parent keeps it (a link restores it); with onZoomLayer. */
  zoomLayer?: string | null;
  onZoomLayer?: (name: string | null) => void;
  /** A fixed width instead of the measured one (tests). */
  width?: number;
}

const ZOOM = { minPitch: 18, maxPitch: 56, labels: 'none', lineHeight: 'pitch' } as const;

function cellFrom(target: EventTarget): number | null {
  const el = (target as Element).closest?.('[data-i]');
  return el ? Number(el.getAttribute('data-i')) : null;
}

export function Heatmap({ layers, values, ablated, onToggle, onLook, zoomLayer, onZoomLayer, caption, color, limit, width: fixedWidth }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const gridBox = useRef<HTMLDivElement>(null);
  const columnAxis = useRef<SVGGElement>(null);
  const pendingFocus = useRef<number | null>(null);
  const [focus, setFocus] = useState(0);
  const [ownZoom, setOwnZoom] = useState<number | null>(null);
  // Zoom by layer index inside; by name when the parent keeps it.
  const controlled = onZoomLayer !== undefined;
  const named = zoomLayer ? layers.findIndex((l) => l.name === zoomLayer) : -1;
  const zoom = controlled ? (named >= 0 ? named : null) : ownZoom;
  const setZoom = useCallback((z: number | null) => {
    if (onZoomLayer) onZoomLayer(z === null ? null : layers[z]?.name ?? null);
    else setOwnZoom(z);
  }, [onZoomLayer, layers]);
  const [search, setSearch] = useState<SearchResult | null>(null);
  const [hover, setHover] = useState<{ i: number; x: number; y: number; f: number } | null>(null);
  const measured = useWidth(gridBox, 900);
  const width = fixedWidth ?? Math.max(240, measured);

  useEffect(() => { setOwnZoom(null); setSearch(null); }, [layers]);
  useEffect(() => setFocus((f) => Math.min(f, values.length - 1)), [values.length]);

  const zoomed = zoom !== null && zoom < layers.length ? zoom : null;
  const layout = useMemo(
    () => (zoomed === null ? layoutHeatmap(layers, width) : layoutHeatmap([layers[zoomed]], width, ZOOM)),
    [layers, width, zoomed],
  );
  const layerIndex = (blockIndex: number) => zoomed ?? blockIndex;

  const ablatedKeys = useMemo(() => ablatedByLayer(layers, ablated), [ablated, layers]);
  const ablatedSet = useMemo(() => new Set(ablated), [ablated]);
  const matchedLayers = useMemo(() => new Set(search?.layers ?? []), [search]);
  const matchCell = search?.cells.length === 1 ? search.cells[0] : -1;

  useEffect(() => {
    if (!columnAxis.current) return;
    const { columns, gridLeft, pitch } = layout;
    const x = d3.scaleLinear().domain([0, columns]).range([gridLeft, gridLeft + columns * pitch]);
    const ticks = x.ticks(Math.min(columns, 12)).filter((t) => Number.isInteger(t) && t < columns);
    d3.select(columnAxis.current).call(d3.axisTop(x).tickValues(ticks).tickFormat(d3.format('d')).tickSizeOuter(0))
      .selectAll('.tick text').attr('transform', `translate(${pitch / 2},0)`);
  }, [layout]);

  const showTip = useCallback((i: number, target: Element) => {
    const outer = box.current?.getBoundingClientRect();
    const cell = target.getBoundingClientRect();
    if (!outer) return;
    const x = cell.left - outer.left + cell.width / 2;
    setHover({ i, x, y: cell.top - outer.top, f: Math.min(1, Math.max(0, x / Math.max(1, outer.width))) });
    onLook?.();
  }, [onLook]);

  const focusCell = useCallback((i: number) => {
    const el = svg.current?.querySelector<SVGRectElement>(`[data-testid="cell-${i}"]`);
    if (!el) return false;
    el.focus();
    el.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    showTip(i, el);
    return true;
  }, [showTip]);

  // Focus asked for before a re-render (zoom in/out, search) lands once the cell exists.
  useLayoutEffect(() => {
    if (pendingFocus.current !== null && focusCell(pendingFocus.current)) pendingFocus.current = null;
  });

  const moveFocus = (i: number) => { setFocus(i); pendingFocus.current = i; };

  /** Zooms into a layer (null: back to all); the keyboard focus follows to a cell unless keepFocus. */
  const onZoom = useCallback((layer: number | null, keepFocus = false) => {
    setHover(null);
    setZoom(layer);
    setFocus((f) => {
      const next = layer === null || cellOf(layers, f).row === layer ? f : layers[layer].offset;
      if (!keepFocus) pendingFocus.current = next;
      return next;
    });
  }, [layers, setZoom]);

  const onSearch = (query: string) => {
    const result = searchComponents(layers, query);
    setSearch(query.trim() ? result : null);
    if (result.focus === null) return;
    const row = cellOf(layers, result.focus).row;
    if (zoomed !== null && zoomed !== row) setZoom(result.layers.length === 1 ? row : null);
    moveFocus(result.focus);
  };

  const onClick = (event: MouseEvent) => {
    const i = cellFrom(event.target);
    if (i === null) return;
    setFocus(i);
    onToggle(i);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && zoomed !== null) { event.preventDefault(); onZoom(null); return; }
    const i = cellFrom(event.target);
    if (i === null) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onToggle(i);
      return;
    }
    const next = moveInLayout(layout, i, event.key);
    if (next !== i) {
      event.preventDefault();
      setFocus(next);
      focusCell(next);
    }
  };

  const onFocus = (event: FocusEvent) => {
    const i = cellFrom(event.target);
    if (i === null) return;
    setFocus(i);
    showTip(i, event.target as Element);
  };
  const onOver = (event: MouseEvent) => {
    const i = cellFrom(event.target);
    if (i !== null && i !== hover?.i) showTip(i, event.target as Element);
  };

  const showAxis = layout.labels === 'left' && !layout.wrapped;

  return (
    <div className="heatmap" ref={box} data-testid="heatmap" data-columns={layout.columns} data-zoomed={zoomed ?? ''} onMouseLeave={() => setHover(null)}>
      <ComponentSearch onSearch={onSearch} message={search?.message ?? ''} missed={!!search && search.focus === null}
        example={layers[0] ? `${layers[0].name}#0` : 'layer#0'} />
      {zoomed !== null && <ZoomBar layers={layers} zoom={zoomed} onZoom={onZoom} />}
      <div className="grid-box" ref={gridBox}>
        <svg ref={svg} className="grid" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="group" aria-label={zoomed === null ? caption : `${caption}: layer ${layers[zoomed].name}`}
          onClick={onClick} onKeyDown={onKeyDown} onFocus={onFocus} onBlur={() => setHover(null)} onMouseOver={onOver}>
          {showAxis && <g ref={columnAxis} transform={`translate(0,${layout.top - 2})`} className="axis columns" />}
          <LayerLabels layout={layout} matched={matchedLayers} onZoom={onZoom} />
          {layout.blocks.map((b) => {
            const r = layerIndex(b.index);
            return (
              <LayerCells key={b.layer.name} block={b} layerIndex={r} layout={layout} values={values} color={color}
                ablatedKey={ablatedKeys.get(r) ?? ''} focus={cellOf(layers, focus).row === r ? focus : -1}
                matched={matchedLayers.has(r)} matchCell={matchCell >= 0 && cellOf(layers, matchCell).row === r ? matchCell : -1} />
            );
          })}
        </svg>
      </div>
      {hover && <HeatmapTooltip layers={layers} i={hover.i} x={hover.x} y={hover.y} f={hover.f} value={values[hover.i]} ablated={ablatedSet.has(hover.i)} />}
      <HeatmapLegend limit={limit} color={color} />
    </div>
  );
}
