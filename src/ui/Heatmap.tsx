/**
 * Layers × channels grid of per-component values (one row per component layer; layers with fewer
 * channels leave blanks), coloured on a diverging scale centred at 0. Every cell is a toggle
 * button: arrow keys move, Enter or Space ablates / restores the component.
 */
import * as d3 from 'd3';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { maxAbs, moveCell, type LayerRow } from './heatmap-data';
import { HeatmapLegend } from './HeatmapLegend';
import { signed } from './format';
import { useWidth } from './use-width';

interface Props {
  layers: LayerRow[];
  values: Float32Array;
  ablated: number[];
  onToggle: (i: number) => void;
  /** Describes what the values are, for the screen-reader label. */
  caption: string;
}

const LABEL = 190;
const TOP = 24;

export function Heatmap({ layers, values, ablated, onToggle, caption }: Props) {
  const svg = useRef<SVGSVGElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const columnAxis = useRef<SVGGElement>(null);
  const [focus, setFocus] = useState(0);
  const [hover, setHover] = useState<{ i: number; x: number; y: number } | null>(null);
  const WIDTH = Math.max(320, useWidth(box, 900));
  const maxCount = Math.max(...layers.map((l) => l.count));
  const rowHeight = layers.length > 24 ? 16 : layers.length > 12 ? 24 : layers.length > 8 ? 34 : 40;
  const cellWidth = (WIDTH - LABEL) / maxCount;
  const height = TOP + layers.length * rowHeight + 4;
  const limit = maxAbs(values);
  const color = useMemo(() => d3.scaleDiverging<string>(d3.interpolateRdBu).domain([-limit, 0, limit]), [limit]);
  const ablatedSet = useMemo(() => new Set(ablated), [ablated]);

  useEffect(() => {
    if (!columnAxis.current) return;
    const x = d3.scaleLinear().domain([0, maxCount]).range([LABEL, WIDTH]);
    const ticks = x.ticks(Math.min(maxCount, 12)).filter((t) => Number.isInteger(t) && t < maxCount);
    d3.select(columnAxis.current).call(d3.axisTop(x).tickValues(ticks).tickFormat(d3.format('d')).tickSizeOuter(0))
      .selectAll('.tick text').attr('transform', `translate(${cellWidth / 2},0)`);
  }, [maxCount, cellWidth, WIDTH]);

  useEffect(() => setFocus((f) => Math.min(f, values.length - 1)), [values.length]);

  const showTip = (i: number, target: Element) => {
    const outer = box.current?.getBoundingClientRect();
    const cell = target.getBoundingClientRect();
    if (outer) setHover({ i, x: cell.left - outer.left + cell.width / 2, y: cell.top - outer.top });
  };

  const onKeyDown = (event: KeyboardEvent<SVGRectElement>, i: number) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onToggle(i);
      return;
    }
    const next = moveCell(layers, i, event.key);
    if (next !== i) {
      event.preventDefault();
      setFocus(next);
      const el = svg.current?.querySelector<SVGRectElement>(`[data-testid="cell-${next}"]`);
      el?.focus();
      if (el) showTip(next, el);
    }
  };

  const nameOf = (i: number) => {
    const layer = layers.find((l) => i >= l.offset && i < l.offset + l.count)!;
    return { layer, label: `${layer.name}#${i - layer.offset}` };
  };

  return (
    <div className="heatmap" ref={box} data-testid="heatmap" onMouseLeave={() => setHover(null)}>
      <svg ref={svg} className="grid" width={WIDTH} height={height} viewBox={`0 0 ${WIDTH} ${height}`} role="group" aria-label={caption}>
        <g ref={columnAxis} transform={`translate(0,${TOP - 2})`} className="axis columns" />
        {layers.map((layer, r) => (
          <g key={layer.name} transform={`translate(0,${TOP + r * rowHeight})`}>
            <text x={LABEL - 8} y={rowHeight / 2} dy="0.35em" textAnchor="end" className="row-label">
              {layer.name} <tspan className="row-kind">({layer.count})</tspan>
            </text>
            {Array.from({ length: layer.count }, (_, c) => {
              const i = layer.offset + c;
              const off = ablatedSet.has(i);
              const x = LABEL + c * cellWidth;
              return (
                <g key={i}>
                  <rect
                    x={x + 0.5} y={1} width={Math.max(cellWidth - 1, 0.5)} height={rowHeight - 2}
                    fill={color(values[i])}
                    className={`cell${off ? ' ablated' : ''}`}
                    data-testid={`cell-${i}`}
                    data-value={values[i]}
                    role="button"
                    aria-pressed={off}
                    aria-label={`${nameOf(i).label}: ${signed(values[i], 3)}${off ? ', ablated' : ''}`}
                    tabIndex={i === focus ? 0 : -1}
                    onClick={() => { setFocus(i); onToggle(i); }}
                    onKeyDown={(e) => onKeyDown(e, i)}
                    onMouseEnter={(e) => showTip(i, e.currentTarget)}
                    onFocus={(e) => { setFocus(i); showTip(i, e.currentTarget); }}
                    onBlur={() => setHover(null)}
                  />
                  {off && <path d={`M${x + 2},${3} L${x + cellWidth - 2},${rowHeight - 3} M${x + cellWidth - 2},${3} L${x + 2},${rowHeight - 3}`} className="ablated-mark" />}
                </g>
              );
            })}
          </g>
        ))}
      </svg>
      {hover && (
        <div className="tooltip" data-testid="heatmap-tooltip" style={{ left: hover.x, top: hover.y }} role="status">
          <strong>{nameOf(hover.i).label}</strong> <span className="kind">{nameOf(hover.i).layer.className}</span>
          <br />value {signed(values[hover.i], 3)}{ablatedSet.has(hover.i) ? ' · ablated' : ''}
          <br /><span className="hint">click / Enter: {ablatedSet.has(hover.i) ? 'restore' : 'ablate'}</span>
        </div>
      )}
      <HeatmapLegend limit={limit} color={color} />
    </div>
  );
}
