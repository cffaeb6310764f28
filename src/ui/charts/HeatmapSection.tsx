/**
 * The heatmap with its title, the choice of what it shows (example, class mean, overall mean) and
 * the strongest components of what it shows.
 */
import * as d3 from 'd3';
import { useMemo, type ReactNode } from 'react';
import type { DatasetView, RunView } from '../../worker/protocol/protocol';
import { Heatmap } from './Heatmap';
import { StrongestComponents } from './StrongestComponents';
import { heatmapValues, maxAbs, modeMembers, type HeatmapMode } from './heatmap-data';

interface Props {
  run: RunView;
  dataset: DatasetView;
  selected: number;
  mode: HeatmapMode;
  onMode: (mode: HeatmapMode) => void;
  ablated: number[];
  onToggle: (i: number) => void;
  /** Called when a cell is looked at (hovered or focused). */
  onLook?: () => void;
  /** The layer zoomed into (by name), kept by the page so a link can carry it. */
  zoom?: string | null;
  onZoom?: (layer: string | null) => void;
  /** Shown under the heatmap (a clicked head's attention pattern). */
  children?: ReactNode;
}

export function HeatmapSection({ run, dataset, selected, mode, onMode, ablated, onToggle, onLook, zoom, onZoom, children }: Props) {
  const n = run.labels.length;
  const values = useMemo(() => heatmapValues(run.weights, n, run.componentCount, mode, selected, run.labels), [run, n, mode, selected]);
  const limit = useMemo(() => maxAbs(values), [values]);
  const color = useMemo(() => d3.scaleDiverging<string>(d3.interpolateRdBu).domain([-limit, 0, limit]), [limit]);
  const className = dataset.classNames[run.labels[selected]];
  const classCount = modeMembers(n, 'class', selected, run.labels);
  const captions: Record<HeatmapMode, string> = {
    example: `Attributions for example #${run.examples[selected]} (${className})`,
    class: `Mean attributions over the ${classCount} run example${classCount === 1 ? '' : 's'} labelled ${className}`,
    all: `Mean attributions over all ${n} run examples`,
  };
  const options: { mode: HeatmapMode; label: string }[] = [
    { mode: 'example', label: 'this example' },
    { mode: 'class', label: `mean over its class (${classCount})` },
    { mode: 'all', label: `mean over all (${n})` },
  ];
  return (
    <section className="panel heatmap-panel" aria-labelledby="heatmap-title">
      <div className="panel-head">
        <h2 id="heatmap-title" data-testid="heatmap-title">{captions[mode]}</h2>
        <div className="modes" role="radiogroup" aria-label="What the heatmap shows">
          {options.map((o) => (
            <label key={o.mode} className={mode === o.mode ? 'active' : ''}>
              <input type="radio" name="heatmap-mode" value={o.mode} checked={mode === o.mode} onChange={() => onMode(o.mode)} data-testid={`mode-${o.mode}`} />
              {o.label}
            </label>
          ))}
        </div>
      </div>
      <Heatmap layers={run.layers} values={values} ablated={ablated} onToggle={onToggle} onLook={onLook} zoomLayer={zoom} onZoomLayer={onZoom} caption={captions[mode]} color={color} limit={limit} />
      {children}
      <StrongestComponents layers={run.layers} values={values} ablated={ablated} onToggle={onToggle} color={color} />
    </section>
  );
}
