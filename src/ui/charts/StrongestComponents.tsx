/** The components with the largest |value| in what the heatmap shows, each a toggle like its cell. */
import { useMemo } from 'react';
import { cellOf, strongest, type LayerRow } from './heatmap-data';
import { signed } from '../format/format';

interface Props {
  layers: LayerRow[];
  values: Float32Array;
  ablated: number[];
  onToggle: (i: number) => void;
  color: (v: number) => string;
  count?: number;
}

export function StrongestComponents({ layers, values, ablated, onToggle, color, count = 10 }: Props) {
  const top = useMemo(() => strongest(values, Math.min(count, values.length)), [values, count]);
  const off = useMemo(() => new Set(ablated), [ablated]);
  const name = (i: number) => {
    const { row, col } = cellOf(layers, i);
    return `${layers[row]?.name ?? ''}#${col}`;
  };
  return (
    <div className="strongest" data-testid="strongest">
      <h3 id="strongest-title">Strongest components <span className="muted">(largest |value| shown; click to switch off / back on)</span></h3>
      <ol aria-labelledby="strongest-title">
        {top.map((i) => (
          <li key={i}>
            <button type="button" aria-pressed={off.has(i)} onClick={() => onToggle(i)} data-testid={`strongest-${i}`}
              className={off.has(i) ? 'ablated' : ''} aria-label={`${name(i)}: ${signed(values[i], 3)}${off.has(i) ? ', switched off' : ''}`}>
              <span className="swatch" style={{ background: color(values[i]) }} aria-hidden="true" />
              <span className="name">{name(i)}</span> <span className="value">{signed(values[i], 3)}</span>
            </button>
          </li>
        ))}
      </ol>
    </div>
  );
}
