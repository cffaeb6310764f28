/** Colour legend of the heatmap: the diverging scale with a d3 axis, and what each end means. */
import * as d3 from 'd3';
import { useEffect, useId, useRef } from 'react';

interface Props {
  /** Half-range of the colour scale: values run from −limit to +limit. */
  limit: number;
  color: (x: number) => string;
}

const WIDTH = 280;
const BAR = 14;

export function HeatmapLegend({ limit, color }: Props) {
  const axis = useRef<SVGGElement>(null);
  const gradientId = useId().replace(/:/g, '');

  useEffect(() => {
    if (!axis.current) return;
    const scale = d3.scaleLinear().domain([-limit, limit]).range([0, WIDTH]);
    d3.select(axis.current).call(d3.axisBottom(scale).ticks(5).tickFormat(d3.format('+.2~f')));
  }, [limit]);

  const stops = d3.range(0, 1.0001, 0.1).map((t) => ({ offset: t, color: color(-limit + 2 * limit * t) }));
  return (
    <div className="legend" data-testid="heatmap-legend">
      <span className="legend-end negative"><strong>red</strong>: keeping it lowers the margin (switching it off raises it)</span>
      <svg viewBox={`-12 0 ${WIDTH + 24} ${BAR + 26}`} width={WIDTH + 24} height={BAR + 26} role="img" aria-label={`Colour scale from ${(-limit).toFixed(2)} to +${limit.toFixed(2)}`}>
        <defs>
          <linearGradient id={gradientId}>
            {stops.map((s) => <stop key={s.offset} offset={s.offset} stopColor={s.color} />)}
          </linearGradient>
        </defs>
        <rect x={0} y={0} width={WIDTH} height={BAR} fill={`url(#${gradientId})`} stroke="#555" strokeWidth={0.5} />
        <g ref={axis} transform={`translate(0,${BAR})`} className="axis" />
      </svg>
      <span className="legend-end positive"><strong>blue</strong>: keeping it raises the margin (switching it off lowers it)</span>
    </div>
  );
}
