/** The layer labels of the heatmap grid; each is a button that zooms into its layer. */
import { memo, type KeyboardEvent } from 'react';
import { componentKindById } from '../../coar/component-kinds';
import type { HeatmapLayout } from './heatmap-layout';

/** ", each one …": what a component of this kind is, for the label's tooltip. */
function kindNote(kind: string | undefined): string {
  const k = kind ? componentKindById(kind) : undefined;
  return k ? `, each one ${k.description}` : '';
}

interface Props {
  layout: HeatmapLayout;
  matched: Set<number>;
  onZoom: (layer: number) => void;
}

export const LayerLabels = memo(function LayerLabels({ layout, matched, onZoom }: Props) {
  if (layout.labels === 'none') return null;
  const left = layout.labels === 'left';
  const onKey = (event: KeyboardEvent, layer: number) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onZoom(layer);
  };
  return (
    <g className="row-labels">
      {layout.blocks.map((b) => {
        const cut = b.label.lastIndexOf(' (');
        return (
          <g key={b.layer.name} role="button" tabIndex={0} className={`row-label-button${matched.has(b.index) ? ' match' : ''}`}
            aria-label={`Zoom into layer ${b.layer.name} (${b.layer.count} components)`} data-testid={`layer-zoom-${b.index}`}
            onClick={() => onZoom(b.index)} onKeyDown={(e) => onKey(e, b.index)}>
            <title>{`${b.layer.name}, ${b.layer.className}, ${b.layer.count} components${kindNote(b.layer.kind)}: click to zoom in`}</title>
            <text x={b.labelX} y={b.labelY} dy="0.35em" textAnchor={left ? 'end' : 'start'} className="row-label">
              {b.label.slice(0, cut)} <tspan className="row-kind">{b.label.slice(cut + 1)}</tspan>
            </text>
          </g>
        );
      })}
    </g>
  );
});
