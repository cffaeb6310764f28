/**
 * COAR-Edit: choose target and reference examples, rank components by the Welch score of their
 * attributions, ablate the top k (a slider, computed live in the worker) and compare before/after,
 * actual beside COAR-predicted; goal presets search the smallest k; the edited model is exported.
 */
import { APP_CONFIG } from '../../app-config';
import type { DatasetView, RunView } from '../../worker/protocol/protocol';
import { componentLabel } from '../format/component-label';
import { EditForm } from './EditForm';
import { EditOutcomeTable } from './EditOutcomeTable';
import { EditPresets } from './EditPresets';
import { damageText, damageWhere, budgetText } from '../state/edit-spec';
import { fixed, int } from '../format/format';
import { judgeEdit } from '../../coar/edit-judge';
import { Term } from './Term';
import type { useEdit } from '../state/use-edit';

interface Props {
  run: RunView;
  dataset: DatasetView;
  selected: number;
  edit: ReturnType<typeof useEdit>;
  /** A live run holds the worker: edits wait for it. */
  runBusy: boolean;
  /** Pairs per second measured on this model, for the search's time estimate; null while unknown. */
  rate: number | null;
}

export function EditPanel({ run, dataset, selected, edit: e, runBusy, rate }: Props) {
  const selectedIndex = run.examples[selected];
  const known = e.result && e.current ? e.result.rankedCount : null;
  const sliderMax = Math.max(1, Math.min(APP_CONFIG.edit.sliderMax, known ?? run.componentCount));
  const searching = e.goal !== null && 'running' in e.goal;
  const r = e.result;
  const status = e.formError ?? e.problem ?? (runBusy && e.stage ? 'Waiting for the live run to finish (the worker does one job at a time)…' : e.stage);
  const triggered = dataset.subsets.triggered ?? null;
  const triggeredInRun = triggered ? run.examples.filter((i) => i >= triggered[0] && i < triggered[1]) : [];
  const damage = r && e.budgetValue !== null ? judgeEdit(true, r.outcome, e.budgetValue) : null;
  // A search runs the model once per k on the run's examples, then before/after on the data set's first images.
  const wider = 2 * Math.min(dataset.count, APP_CONFIG.ui.datasetAccuracyLimit);
  const seconds = (k: number) => (k * run.labels.length + wider) / (rate ?? 1);
  const backdoorK = Number(e.backdoorMaxK) || e.maxK.backdoor;
  const searchSeconds = rate ? { fix: seconds(e.maxK.fix), forget: seconds(e.maxK.forget), backdoor: seconds(backdoorK) } : null;

  return (
    <section className="panel edit-panel" data-testid="edit-panel" aria-labelledby="edit-title">
      <h2 id="edit-title">Edit the model (COAR-Edit)</h2>
      <p className="muted edit-intro">
        Pick examples whose prediction should change (<Term id="target" />) and examples whose behaviour should stay (<Term id="reference" />).
        Components are ranked by how differently they matter for the two groups (a <Term id="welch" /> of their attributions); switching off the
        top <Term id="k" /> moves the target the most while sparing the reference.
      </p>
      <EditPresets
        selectedIndex={selectedIndex} selectedClass={dataset.classNames[run.labels[selected]]} backdoor={e.subsets.includes('triggered')}
        trigger={dataset.subsetInfo.triggered ?? null} triggeredInRun={triggeredInRun} triggeredRange={triggered}
        maxK={e.maxK} backdoorMaxK={e.backdoorMaxK} componentCount={run.componentCount} budget={e.budget} budgetValue={e.budgetValue} goal={e.goal}
        onGoal={e.runGoal} onBackdoorMaxK={e.setBackdoorMaxK} onBudget={e.setBudget} searchSeconds={searchSeconds}
      />
      <EditForm choice={e.choice} classNames={dataset.classNames} subsets={e.subsets} selectedIndex={selectedIndex} disabled={searching} onChange={e.change} />
      <div className="edit-k">
        <label htmlFor="edit-k-slider">Switch off the top <strong data-testid="edit-k-value">k = {e.k}</strong></label>
        <input
          id="edit-k-slider" type="range" min={0} max={sliderMax} step={1} value={Math.min(e.k, sliderMax)} disabled={searching}
          onChange={(ev) => e.changeK(Number(ev.target.value))} data-testid="edit-k" aria-valuetext={`k = ${e.k}`}
        />
        <span className="muted">{known === null ? `(of at most ${int(run.componentCount)} components)` : `of the ${int(known)} components whose removal ${e.choice.direction}s the target's margin`}</span>
      </div>
      <div className={`edit-status${e.problem || e.formError ? ' bad' : ''}`} aria-live="polite" data-testid="edit-status" data-busy={Boolean(e.stage)}>
        {status ?? (r ? `Computed in ${fixed(r.seconds, 1)} s.` : 'Move the slider, change the examples, or use a preset above.')}
      </div>
      {r && (
        <div className="edit-result">
          <EditOutcomeTable view={r} stale={!e.current} />
          {damage && (
            <p className={`edit-damage ${damage.verdict === 'success' ? 'within' : 'over'}`} data-testid="edit-damage" data-damage={damage.damage.drop} data-within={damage.verdict === 'success'}>
              Outside the target, {damageWhere(damage.damage, r.datasetCount)} {damageText(damage.damage)}: {damage.verdict === 'success' ? 'within' : 'over'} {budgetText(e.budgetValue!)}.
            </p>
          )}
          <div className="edit-ranked" data-testid="edit-ranked">
            <span className="muted">Ranked components (<Term id="welch">Welch score</Term>):</span>{' '}
            {r.ranked.map((i, rank) => (
              <span key={i} className={`chip${rank < r.outcome.k ? ' on' : ''}`} title={`score ${fixed(r.scores[rank], 2)}`}>{componentLabel(run, i)}</span>
            ))}
            {r.rankedCount > r.ranked.length && <span className="muted"> … {int(r.rankedCount - r.ranked.length)} more</span>}
          </div>
          <div className="edit-export">
            <button type="button" onClick={e.exportModel} disabled={!e.current || r.outcome.k === 0 || e.exporting} data-testid="export-edited-model">
              {e.exporting ? 'Preparing…' : `Download the edited model (k = ${r.outcome.k})`}
            </button>{' '}
            <span className="muted">model.json + weights.bin with the {r.outcome.k} component{r.outcome.k === 1 ? '\u2019s' : 's\u2019'} weights zeroed; loads in plain TensorFlow.js.</span>
          </div>
        </div>
      )}
    </section>
  );
}
