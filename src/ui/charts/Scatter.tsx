/**
 * COAR-predicted vs actual output of the selected example on the held-out (validation) masks,
 * with the y = x line and the example's correlation. The user's own ablation, when there is one,
 * is drawn as a highlighted point.
 */
import * as d3 from 'd3';
import { useEffect, useMemo, useRef } from 'react';
import type { RunView } from '../../worker/protocol/protocol';
import { fixed } from '../format/format';

interface Props {
  run: RunView;
  selected: number;
  /** COAR-predicted and actual output under the current toggle-ablation, if any. */
  ablationPoint: { predicted: number; actual: number } | null;
}

const W = 420;
const H = 330;
const M = { top: 12, right: 14, bottom: 46, left: 56 };

export function Scatter({ run, selected, ablationPoint }: Props) {
  const xAxis = useRef<SVGGElement>(null);
  const yAxis = useRef<SVGGElement>(null);
  const n = run.labels.length;
  const m = run.validation.count;
  const points = useMemo(() => Array.from({ length: m }, (_, r) => ({
    x: run.validation.predicted[r * n + selected],
    y: run.validation.actual[r * n + selected],
  })), [run, selected, m, n]);
  const { x, y } = useMemo(() => {
    const all = [...points.flatMap((p) => [p.x, p.y]), run.baseOutputs[selected], ...(ablationPoint ? [ablationPoint.predicted, ablationPoint.actual] : [])];
    const [lo, hi] = d3.extent(all.filter(Number.isFinite)) as [number, number];
    const pad = (hi - lo || 1) * 0.06;
    const domain: [number, number] = [(lo ?? 0) - pad, (hi ?? 1) + pad];
    return {
      x: d3.scaleLinear().domain(domain).range([M.left, W - M.right]).nice(),
      y: d3.scaleLinear().domain(domain).range([H - M.bottom, M.top]).nice(),
    };
  }, [points, run, selected, ablationPoint]);

  useEffect(() => {
    if (xAxis.current) d3.select(xAxis.current).call(d3.axisBottom(x).ticks(6));
    if (yAxis.current) d3.select(yAxis.current).call(d3.axisLeft(y).ticks(6));
  }, [x, y]);

  const r = run.validation.perExample[selected];
  const [d0, d1] = x.domain();
  return (
    <figure className="scatter" data-testid="scatter">
      <figcaption>
        Predicted vs actual margin of this example on {m.toLocaleString('en-US')} held-out random switch-offs:{' '}
        <strong data-testid="example-correlation" data-value={Number.isFinite(r) ? r : ''}>r = {fixed(r, 3)}</strong>
      </figcaption>
      {m === 0 ? (
        <p className="empty-note">This run has no validation masks, so there is nothing to compare.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Scatter of ${m} predicted against actual margins; correlation ${fixed(r, 3)}`}>
          <line x1={x(d0)} y1={y(d0)} x2={x(d1)} y2={y(d1)} className="diagonal" />
          <g ref={xAxis} transform={`translate(0,${H - M.bottom})`} className="axis" />
          <g ref={yAxis} transform={`translate(${M.left},0)`} className="axis" />
          <text x={(M.left + W - M.right) / 2} y={H - 8} textAnchor="middle" className="axis-title">COAR-predicted margin</text>
          <text transform={`translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" className="axis-title">actual margin</text>
          {points.map((p, k) => <circle key={k} cx={x(p.x)} cy={y(p.y)} r={3.2} className="point" />)}
          <circle cx={x(run.bias[selected] + sumRow(run, selected))} cy={y(run.baseOutputs[selected])} r={6} className="base-point">
            <title>nothing switched off</title>
          </circle>
          {ablationPoint && (
            <path transform={`translate(${x(ablationPoint.predicted)},${y(ablationPoint.actual)})`} d={d3.symbol(d3.symbolDiamond, 130)() ?? ''} className="ablation-point">
              <title>your switch-off</title>
            </path>
          )}
        </svg>
      )}
      <div className="scatter-key">
        <span className="key point" /> random ablation <span className="key base" /> nothing ablated {ablationPoint && <><span className="key mine" /> your switch-off</>}
      </div>
    </figure>
  );
}

function sumRow(run: RunView, j: number): number {
  const N = run.componentCount;
  let s = 0;
  for (let i = 0; i < N; i++) s += run.weights[j * N + i];
  return s;
}
