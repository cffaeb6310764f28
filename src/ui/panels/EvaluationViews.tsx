/**
 * Evaluation views, computed in the worker on request: held-out correlation against alpha (COAR
 * beside leave-one-out and Grad×Param on the same fresh masks), against the number of masks, and
 * per example — d3 charts with their numbers, each savable as SVG and PNG.
 */
import { useMemo, useState } from 'react';
import { APP_CONFIG } from '../../app-config';
import { BASELINE_SPECS, type BaselineName } from '../../coar/baselines';
import type { EvaluationOptions, RunView } from '../../worker/protocol/protocol';
import { alphaSeries, chartFileStem, maskSeries, perExampleSeries, whenCoarMatters } from '../charts/eval-data';
import { AlphaTable, ExampleTable, MaskTable } from './EvalTables';
import { duration, fixed, int } from '../format/format';
import { LineChart } from '../charts/LineChart';
import { Term } from './Term';
import type { useEvaluation } from '../state/use-evaluation';

interface Props {
  run: RunView;
  modelName: string;
  evaluation: ReturnType<typeof useEvaluation>;
  onError: (message: string) => void;
  /** Pairs per second measured on this model (the live run's, else the timed estimate), for the time estimate. */
  rate: number | null;
}

export function EvaluationViews({ run, modelName, evaluation: e, onError, rate }: Props) {
  const [masks, setMasks] = useState(String(APP_CONFIG.evaluation.masksPerAlpha));
  const [chosen, setChosen] = useState<readonly BaselineName[]>(APP_CONFIG.evaluation.baselines);
  const m = Number(masks);
  const valid = Number.isInteger(m) && m >= 3 && m <= 1000;
  const n = run.labels.length;
  const N = run.componentCount;
  const alphas = APP_CONFIG.evaluation.alphas;
  const baselines = BASELINE_SPECS.filter((b) => chosen.includes(b.id));
  const options: EvaluationOptions = { alphas: [...alphas], masksPerAlpha: m, baselines: baselines.map((b) => b.id) };
  const pairs = (baselines.reduce((sum, b) => sum + b.maskRows(N), 0) + alphas.length * (valid ? m : 0)) * n;
  const toggle = (id: BaselineName, on: boolean) => setChosen((list) => (on ? [...list, id] : list.filter((x) => x !== id)));
  const v = e.view;
  const series = useMemo(() => v && { alpha: alphaSeries(v), masks: maskSeries(v), examples: perExampleSeries(v) }, [v]);
  const lesson = useMemo(() => v && whenCoarMatters(v, N), [v, N]);
  const p = e.job?.progress;
  const fraction = p?.total ? (p.done ?? 0) / p.total : 0;

  return (
    <section className="panel evaluation-views" data-testid="evaluation-views" aria-labelledby="evaluation-title">
      <h2 id="evaluation-title">How good are the attributions?</h2>
      <p className="muted">
        Fresh random switch-offs the fit never saw: for each example, the correlation between the margin COAR predicts and the real one
        (the <Term id="heldout-correlation" />). <Term id="leave-one-out">Leave-one-out</Term> and <Term id="grad-x-param" /> are scored on
        the same masks. The run was fitted at <Term id="alpha" /> {run.settings.alpha}.
      </p>
      <div className="eval-controls">
        <label>Held-out masks per alpha <input type="number" min={3} max={1000} value={masks} onChange={(ev) => setMasks(ev.target.value)} className="small" data-testid="eval-masks" disabled={e.job !== null} /></label>
        {BASELINE_SPECS.map((b) => (
          <label key={b.id} title={b.description}>
            <input type="checkbox" checked={chosen.includes(b.id)} onChange={(ev) => toggle(b.id, ev.target.checked)} disabled={e.job !== null} data-testid={`eval-${b.id}`} />
            {' '}include {b.label}{b.maskRows(N) > 0 ? ` (${int(b.maskRows(N))} extra switch-off runs)` : ''}
          </label>
        ))}
        <button type="button" className="primary" onClick={() => e.start(options)} disabled={!valid || e.job !== null} data-testid="eval-start">
          {v ? 'Compute again' : 'Compute the evaluation views'}
        </button>
        <button type="button" onClick={e.cancel} disabled={!e.job || e.job.cancelling} data-testid="eval-cancel">{e.job?.cancelling ? 'Cancelling…' : 'Cancel'}</button>
        <span className="muted" data-testid="eval-estimate">{valid ? (rate ? <>{int(pairs)} <Term id="pairs" />, about <strong>{duration(pairs / rate)}</strong> at {int(rate)} pairs/s</> : `${int(pairs)} (example, mask) pairs; the time is being estimated…`) : 'Use 3 to 1,000 masks.'}</span>
      </div>
      <div className={`run-progress${e.job ? ' active' : ''}`} data-testid="eval-progress" aria-live="polite">
        <div className="bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(100 * fraction)} aria-label="Evaluation progress">
          <div className="fill" style={{ width: `${(100 * fraction).toFixed(1)}%` }} />
        </div>
        <div className="progress-text">
          <span className="stage">{e.job ? p?.stage ?? 'Waiting for the worker…' : v ? `Computed in ${fixed(v.seconds, 1)} s.` : 'Not computed yet.'}</span>
          <span className="detail">{e.job && p?.total ? `${int(p.done ?? 0)} / ${int(p.total)} steps` : ''}</span>
        </div>
      </div>
      {lesson && <p className={`eval-lesson${lesson.needed ? ' needed' : ''}`} data-testid="eval-lesson" data-needed={lesson.needed}>{lesson.text}</p>}
      {v && series && (
        <div className="eval-grid" data-testid="eval-results">
          <div className="eval-view">
            <LineChart
              title="Correlation against alpha" series={series.alpha} xLabel="alpha (share of components ablated)" yLabel="mean correlation"
              marker={{ x: v.trainedAlpha, label: `fitted at ${v.trainedAlpha}` }} testId="eval-chart-alpha" stem={chartFileStem(modelName, 'correlation-vs-alpha')} onError={onError}
            />
            <AlphaTable view={v} />
          </div>
          <div className="eval-view">
            <LineChart
              title="Correlation against the number of masks" series={series.masks} xLabel="masks fitted on (log scale)" yLabel="validation correlation" xLog
              xFormat={(x) => int(x)} testId="eval-chart-masks" stem={chartFileStem(modelName, 'correlation-vs-masks')} onError={onError}
            />
            <MaskTable view={v} />
          </div>
          <div className="eval-view">
            <LineChart
              title={`Per-example correlation at alpha ${v.perExample.alpha}`} series={series.examples} xLabel="examples, best to worst" yLabel="correlation"
              xTicks={tickRanks(v.exampleCount)} testId="eval-chart-examples" stem={chartFileStem(modelName, 'per-example-correlation')} onError={onError}
            />
            <ExampleTable view={v} />
          </div>
        </div>
      )}
    </section>
  );
}

function tickRanks(n: number): number[] {
  const step = Math.max(1, Math.ceil(n / 8));
  const ticks = [1];
  for (let k = step; k <= n; k += step) if (k > 1) ticks.push(k);
  return ticks;
}
