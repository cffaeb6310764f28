/**
 * Switching components off: the components switched off (from heatmap clicks or "switch off the
 * top k"), the selected example's margin (actual beside COAR's prediction), the accuracy
 * before/after, and the per-example table. Undo and "switch all back on" are always at hand.
 */
import { useState } from 'react';
import { APP_CONFIG } from '../../app-config';
import type { EditDirection } from '../../coar/edit';
import type { AblationView, DatasetAccuracyView, DatasetView, RunView } from '../../worker/protocol/protocol';
import { AblationTable } from './AblationTable';
import { componentLabel } from '../format/component-label';
import { fixed, int, percent, signed } from '../format/format';
import { Term } from './Term';

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

  const sel = p.result && current ? { before: p.run.baseOutputs[p.selected], actual: p.result.actual[p.selected], predicted: p.result.predicted[p.selected] } : null;

  return (
    <section className="panel ablation-panel" data-testid="ablation-panel" aria-labelledby="ablation-title">
      <h2 id="ablation-title"><Term id="switch-off">Switch components off</Term></h2>
      {p.ablated.length === 0 && (
        <p className="muted ablation-hint">
          Click heatmap cells (or press Enter on one) to switch those components off; click again to switch them back on.
          Switching off a <span className="red-word">red</span> cell should raise example {exampleName}’s margin, a <span className="blue-word">blue</span> one lower it.
        </p>
      )}
      <div className="ablation-controls">
        <span>
          Switch off the{' '}
          <input type="number" min={1} max={p.run.componentCount} value={k} onChange={(e) => setK(e.target.value)} className="small" data-testid="topk-k" aria-label="How many components" />{' '}
          components whose removal most{' '}
          <select value={direction} onChange={(e) => setDirection(e.target.value as EditDirection)} data-testid="topk-direction" aria-label="raises or lowers">
            <option value="raise">raises (red cells)</option>
            <option value="lower">lowers (blue cells)</option>
          </select>{' '}
          {exampleName}’s margin (compared with the other examples)
        </span>{' '}
        <button type="button" onClick={() => p.onTopK(kValue, direction)} disabled={!kOk} data-testid="ablate-topk">Switch off top {kOk ? kValue : 'k'}</button>{' '}
        <button type="button" onClick={p.onUndo} disabled={!p.canUndo} data-testid="ablation-undo">Undo</button>{' '}
        <button type="button" onClick={p.onReset} disabled={p.ablated.length === 0} data-testid="ablation-reset">Switch all back on</button>
      </div>
      <div className="chips" data-testid="ablated-list" data-count={p.ablated.length}>
        {p.ablated.length === 0
          ? <span className="muted">Nothing is switched off yet.</span>
          : p.ablated.map((i) => (
            <button key={i} type="button" className="chip" onClick={() => p.onRemove(i)} aria-label={`Switch ${componentLabel(p.run, i)} back on`}>
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
          {sel && (
            <p className="selected-outcome" data-testid="ablation-selected" data-before={sel.before} data-actual={sel.actual} data-predicted={sel.predicted}>
              Example {exampleName}: <Term id="margin" /> <strong>{fixed(sel.before)} → {fixed(sel.actual)}</strong> <span className="delta">({signed(sel.actual - sel.before)})</span>;
              {' '}COAR predicted <strong className="predicted">{fixed(sel.predicted)}</strong>
            </p>
          )}
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
