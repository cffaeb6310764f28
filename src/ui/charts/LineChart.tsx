/**
 * A d3 line chart (axes, legend, optional marker line) that can be saved as SVG or PNG. Every
 * style is written as an attribute so that the saved file looks like the page.
 */
import * as d3 from 'd3';
import { useEffect, useMemo, useRef } from 'react';
import { APP_CONFIG } from '../../app-config';
import { downloadPng, downloadSvg } from './chart-export';
import { spacedTicks, type Series } from './eval-data';

interface Props {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  /** Logarithmic x axis (e.g. number of masks). */
  xLog?: boolean;
  xFormat?: (x: number) => string;
  /** Tick values on x; the data's x values when left out. */
  xTicks?: number[];
  /** A dashed vertical line, e.g. the alpha the attributions were fitted at. */
  marker?: { x: number; label: string };
  testId: string;
  /** File name without extension for the downloads. */
  stem: string;
  onError: (message: string) => void;
}

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif';
const M = { top: 50, right: 18, bottom: 48, left: 58 };

export function LineChart({ title, series, xLabel, yLabel, xLog, xFormat, xTicks, marker, testId, stem, onError }: Props) {
  const W = APP_CONFIG.evaluation.chartWidth;
  const H = APP_CONFIG.evaluation.chartHeight;
  const svgRef = useRef<SVGSVGElement>(null);
  const xAxis = useRef<SVGGElement>(null);
  const yAxis = useRef<SVGGElement>(null);
  const all = useMemo(() => series.flatMap((s) => s.points), [series]);
  const wanted = useMemo(() => xTicks ?? [...new Set(all.map((p) => p.x))].sort((a, b) => a - b), [xTicks, all]);

  const { x, y } = useMemo(() => {
    const xs = all.map((p) => p.x).concat(marker ? [marker.x] : []);
    const [x0, x1] = xs.length ? (d3.extent(xs) as [number, number]) : [0, 1];
    const ys = all.map((p) => p.y);
    const yMin = Math.min(0, ...ys);
    const range: [number, number] = [M.left, W - M.right];
    const xScale = xLog && x0 > 0
      ? d3.scaleLog().base(2).domain([x0 / 1.15, x1 * 1.15]).range(range)
      : d3.scaleLinear().domain(x0 === x1 ? [x0 - 1, x1 + 1] : [x0 - (x1 - x0) * 0.05, x1 + (x1 - x0) * 0.05]).range(range);
    return { x: xScale, y: d3.scaleLinear().domain([yMin, 1]).nice().range([H - M.bottom, M.top]) };
  }, [all, marker, xLog, W, H]);
  const ticks = useMemo(() => spacedTicks(wanted, x, 34), [wanted, x]);

  useEffect(() => {
    const fmt = xFormat ?? ((v: number) => String(v));
    if (xAxis.current) d3.select(xAxis.current).call(d3.axisBottom(x as d3.ScaleLinear<number, number>).tickValues(ticks).tickFormat((v) => fmt(Number(v))));
    if (yAxis.current) d3.select(yAxis.current).call(d3.axisLeft(y).ticks(6));
    for (const g of [xAxis.current, yAxis.current]) if (g) d3.select(g).attr('font-size', 12).attr('font-family', FONT);
  }, [x, y, ticks, xFormat]);

  const legendOffsets = series.reduce<number[]>((acc, _s, k) => [...acc, k === 0 ? 0 : acc[k - 1] + 40 + 7 * series[k - 1].label.length], []);
  const line = d3.line<{ x: number; y: number }>().x((p) => x(p.x)).y((p) => y(p.y));
  const save = (kind: 'svg' | 'png') => {
    const svg = svgRef.current;
    if (!svg) return;
    if (kind === 'svg') downloadSvg(svg, stem);
    else downloadPng(svg, stem, APP_CONFIG.evaluation.pngScale).catch((e: Error) => onError(`The chart could not be saved as PNG: ${e.message}`));
  };

  return (
    <figure className="line-chart" data-testid={testId}>
      <svg ref={svgRef} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title} fontFamily={FONT}>
        <rect x={0} y={0} width={W} height={H} fill="#ffffff" />
        <text x={M.left} y={18} fontSize={14} fontWeight={600} fill="#1b1f24">{title}</text>
        <g>
          {y.ticks(6).map((t) => <line key={t} x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="#e3e6ea" />)}
        </g>
        <g ref={xAxis} transform={`translate(0,${H - M.bottom})`} />
        <g ref={yAxis} transform={`translate(${M.left},0)`} />
        <text x={(M.left + W - M.right) / 2} y={H - 10} textAnchor="middle" fontSize={13} fill="#5b6470">{xLabel}</text>
        <text transform={`translate(16,${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" fontSize={13} fill="#5b6470">{yLabel}</text>
        {marker && (
          <g>
            <line x1={x(marker.x)} x2={x(marker.x)} y1={M.top} y2={H - M.bottom} stroke="#9aa3ad" strokeDasharray="4 4" />
            <text x={x(marker.x) + 4} y={H - M.bottom - 6} fontSize={11} fill="#5b6470">{marker.label}</text>
          </g>
        )}
        {series.map((s) => (
          <g key={s.key} data-series={s.key}>
            <path d={line(s.points) ?? ''} fill="none" stroke={s.color} strokeWidth={2.2} />
            {s.points.length <= 40 && s.points.map((p, k) => <circle key={k} cx={x(p.x)} cy={y(p.y)} r={3.5} fill={s.color} />)}
          </g>
        ))}
        <g transform={`translate(${M.left},${M.top - 20})`} data-testid={`${testId}-legend`}>
          {series.map((s, k) => (
            <g key={s.key} transform={`translate(${legendOffsets[k]},0)`}>
              <line x1={0} x2={18} y1={0} y2={0} stroke={s.color} strokeWidth={2.5} />
              <text x={24} y={4} fontSize={12} fill="#1b1f24">{s.label}</text>
            </g>
          ))}
        </g>
      </svg>
      <figcaption className="chart-actions">
        <button type="button" className="small-button" onClick={() => save('svg')} data-testid={`${testId}-svg`}>Save SVG</button>{' '}
        <button type="button" className="small-button" onClick={() => save('png')} data-testid={`${testId}-png`}>Save PNG</button>
      </figcaption>
    </figure>
  );
}
