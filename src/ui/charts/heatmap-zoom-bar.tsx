/** Above a zoomed layer: its name, the way back to all layers, and the neighbouring layers. */
import type { LayerRow } from './heatmap-data';

interface Props {
  layers: LayerRow[];
  zoom: number;
  onZoom: (layer: number | null, keepFocus?: boolean) => void;
}

export function ZoomBar({ layers, zoom, onZoom }: Props) {
  const layer = layers[zoom];
  return (
    <div className="zoom-bar" data-testid="zoom-bar">
      <button type="button" onClick={() => onZoom(null)} data-testid="zoom-out">← All layers</button>
      <span className="zoom-title" data-testid="zoom-title"><strong>{layer.name}</strong> <span className="muted">{layer.className}, {layer.count} components</span></span>
      <span className="zoom-steps">
        <button type="button" onClick={() => onZoom(zoom - 1, true)} disabled={zoom === 0} aria-label="Previous layer" data-testid="zoom-prev">‹</button>
        <button type="button" onClick={() => onZoom(zoom + 1, true)} disabled={zoom === layers.length - 1} aria-label="Next layer" data-testid="zoom-next">›</button>
      </span>
    </div>
  );
}
