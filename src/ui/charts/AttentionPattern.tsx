/**
 * A clicked attention head's pattern for the selected image: how much each patch is attended to
 * (averaged over the query positions), drawn over the image, and the full query × key matrix.
 */
import * as d3 from 'd3';
import { useMemo } from 'react';
import type { AttentionPatternView, DatasetView, RunView } from '../../worker/protocol/protocol';
import { ExampleImage } from '../panels/ExampleImage';
import { fixed } from '../format/format';
import type { FocusedHead } from '../state/use-attention-pattern';

interface Props {
  run: RunView;
  dataset: DatasetView;
  selected: number;
  focus: FocusedHead;
  view: AttentionPatternView | null;
  busy: boolean;
  onHead: (component: number) => void;
}

const IMAGE = 168;
const MATRIX = 168;

/** Head h's weights as rows (queries) of key weights. */
function headMatrix(view: AttentionPatternView, head: number): Float32Array[] {
  const { queries, keys } = view;
  return Array.from({ length: queries }, (_, q) => view.weights.subarray((head * queries + q) * keys, (head * queries + q + 1) * keys));
}

/** Mean attention each key position receives over all queries. */
function received(rows: Float32Array[], keys: number): number[] {
  const out = new Array<number>(keys).fill(0);
  for (const row of rows) for (let k = 0; k < keys; k++) out[k] += row[k] / rows.length;
  return out;
}

export function AttentionPattern({ run, dataset, selected, focus, view, busy, onHead }: Props) {
  const { layer, head } = focus;
  const rows = useMemo(() => (view ? headMatrix(view, head) : null), [view, head]);
  const perKey = useMemo(() => (rows && view ? received(rows, view.keys) : null), [rows, view]);
  const index = run.examples[selected];
  const grid = view?.grid ?? null;
  const maxReceived = perKey ? Math.max(...perKey, 1e-9) : 1;
  const matrixColor = d3.scaleSequential(d3.interpolateBlues).domain([0, 1]);
  return (
    <section className="attention-pattern" data-testid="attention-panel" aria-labelledby="attention-title" aria-busy={busy}>
      <h3 id="attention-title">Attention of {layer.name}, head {head}, on example #{index}</h3>
      <div className="attention-heads" role="group" aria-label="Heads of this layer">
        {Array.from({ length: layer.count }, (_, h) => (
          <button key={h} type="button" className={h === head ? 'active' : ''} aria-pressed={h === head} onClick={() => onHead(layer.offset + h)} data-testid={`attention-head-${h}`}>head {h}</button>
        ))}
      </div>
      {!view || !rows || !perKey ? <p className="muted">{busy ? 'Computing the attention weights…' : 'No pattern yet.'}</p> : (
        <div className="attention-views">
          {grid && (
            <figure>
              <div className="attention-overlay" style={{ width: IMAGE, height: IMAGE }}>
                <ExampleImage dataset={dataset} index={index} size={IMAGE} alt={`Example ${index}`} />
                <svg width={IMAGE} height={IMAGE} viewBox={`0 0 ${grid.cols} ${grid.rows}`} preserveAspectRatio="none" data-testid="attention-overlay">
                  {Array.from({ length: grid.rows * grid.cols }, (_, p) => {
                    const w = perKey[grid.leading + p];
                    return (
                      <rect key={p} x={p % grid.cols} y={Math.floor(p / grid.cols)} width={1} height={1} fill="#ff8c00" fillOpacity={0.75 * (w / maxReceived)} stroke="#fff" strokeOpacity={0.25} strokeWidth={0.03}>
                        <title>{`patch ${p} (row ${Math.floor(p / grid.cols)}, column ${p % grid.cols}): ${fixed(100 * w, 1)}% of the attention on average`}</title>
                      </rect>
                    );
                  })}
                </svg>
              </div>
              <figcaption className="muted">Orange: how much each patch is attended to, averaged over every query position{grid.leading ? ' (the class token not drawn)' : ''}.</figcaption>
            </figure>
          )}
          <figure>
            <svg width={MATRIX} height={MATRIX} viewBox={`0 0 ${view.keys} ${view.queries}`} preserveAspectRatio="none" data-testid="attention-matrix" role="img"
              aria-label={`Attention weights: ${view.queries} query positions (rows) by ${view.keys} key positions (columns)`}>
              {rows.map((row, q) => Array.from(row, (w, k) => (
                <rect key={`${q}-${k}`} x={k} y={q} width={1} height={1} fill={matrixColor(w)}>
                  <title>{`query ${q} → key ${k}: ${fixed(w, 3)}`}</title>
                </rect>
              )))}
            </svg>
            <figcaption className="muted">Each row: where one position looks (blue = more weight; rows sum to 1).</figcaption>
          </figure>
        </div>
      )}
      {view && view.components.length > 0 && <p className="muted">With the {view.components.length} switched-off component{view.components.length === 1 ? '' : 's'} applied in the layers before it.</p>}
    </section>
  );
}
