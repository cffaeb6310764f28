/**
 * Toggle-to-ablate: the components switched off (from heatmap clicks or "ablate top-k"), the
 * accuracy before/after, and the per-example table. Undo and reset are always at hand.
 */
import { useState } from 'react';
import { APP_CONFIG } from '../app-config';
import type { EditDirection } from '../coar/edit';
import type { AblationView, DatasetAccuracyView, DatasetView, RunView } from '../worker/protocol';
import { AblationTable } from './AblationTable';
import { componentLabel } from './component-label';
import { fixed, int, percent } from './format';

interface Props {
  run: RunView;
  dataset: DatasetView;
  selected: number;
  ablated: number[];
  result: AblationView | null;
  busy: boolean;
  /** A live run holds the worker: ablations wait for it. */
  runBusy: boolean;
  datasetAccuracy: DatasetAccuracyView | null;
  datasetBusy: boolean;
  canUndo: boolean;
  onRemove: (i: number) => void;
  onTopK: (k: number, direction: EditDirection) => void;
  onUndo: () => void;
  onReset: () => void;
  onSelect: (j: number) => void;
}

const sameList = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export function AblationPanel(p: Props) {
  const [k, setK] = useState(String(APP_CONFIG.ui.topK));
  const [direction, setDirection] = useState<EditDirection>('raise');
  const kValue = Number(k);
  const kOk = Number.isInteger(kValue) && kValue >= 1 && kValue <= p.run.componentCount;
  const current = p.result !== null && sameList(p.result.components, p.ablated);
  const exampleName = `#${p.run.examples[p.selected]}`;

  return (
    <section className="panel ablation-panel" data-testid="ablation-panel" aria-labelledby="ablation-title">
      <h2 id="ablation-title">Switch components off</h2>
      <div className="ablation-controls">
        <label>
          Ablate the top{' '}
          <input type="number" min={1} max={p.run.componentCount} value={k} onChange={(e) => setK(e.target.value)} className="small" data-testid="topk-k" />{' '}
          components that{' '}
          <select value={direction} onChange={(e) => setDirection(e.target.value as EditDirection)} data-testid="topk-direction">
            <option value="raise">raise</option>
            <option value="lower">lower</option>
          </select>{' '}
          example {exampleName}'s margin (most, relative to the other examples)
        </label>{' '}
        <button type="button" onClick={() => p.onTopK(kValue, direction)} disabled={!kOk} data-testid="ablate-topk">Ablate top-k</button>{' '}
        <button type="button" onClick={p.onUndo} disabled={!p.canUndo} data-testid="ablation-undo">Undo</button>{' '}
        <button type="button" onClick={p.onReset} disabled={p.ablated.length === 0} data-testid="ablation-reset">Reset</button>
      </div>
      <div className="chips" data-testid="ablated-list" data-count={p.ablated.length}>
        {p.ablated.length === 0
          ? <span className="muted">Nothing is switched off. Click heatmap cells (or press Enter on one) to ablate those components.</span>
          : p.ablated.map((i) => (
            <button key={i} type="button" className="chip" onClick={() => p.onRemove(i)} aria-label={`Restore ${componentLabel(p.run, i)}`}>
              {componentLabel(p.run, i)} ×
            </button>
          ))}
      </div>
      <div className="ablation-status" aria-live="polite" data-testid="ablation-status" data-busy={p.busy}>
        {p.busy && p.runBusy
          ? 'Waiting for the live run to finish (the worker does one job at a time)…'
          : p.busy
          ? `Running the model with ${int(p.ablated.length)} component${p.ablated.length === 1 ? '' : 's'} off on all ${int(p.run.labels.length)} examples…`
          : p.result && current ? `Computed in ${fixed(p.result.seconds, 2)} s.` : ''}
      </div>
      {p.result && p.ablated.length > 0 && (
        <div className={`ablation-result${current ? '' : ' stale'}`}>
          <p className="accuracy" data-testid="accuracy-after" data-before={p.result.accuracyBefore} data-after={p.result.accuracyAfter}>
            Accuracy on the run's {int(p.run.labels.length)} examples: <strong>{percent(p.result.accuracyBefore)} → {percent(p.result.accuracyAfter)}</strong>
            <span className="dataset-accuracy" data-testid="dataset-accuracy" data-busy={p.datasetBusy}>
              {p.datasetAccuracy && sameList(p.datasetAccuracy.components, p.ablated)
                ? <> · on the first {int(p.datasetAccuracy.count)} data-set images: {percent(p.datasetAccuracy.before)} → {percent(p.datasetAccuracy.after)}</>
                : p.datasetBusy ? ' · measuring on the data set…' : ''}
            </span>
          </p>
          <AblationTable run={p.run} dataset={p.dataset} result={p.result} selected={p.selected} onSelect={p.onSelect} />
        </div>
      )}
    </section>
  );
}
