/**
 * The Edit panel's state: the target/reference choice, k, the worker's latest outcome (older
 * requests are cancelled or ignored), the goal presets' searches, and the edited model's export.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { APP_CONFIG } from '../../app-config';
import type { EditGoal } from '../../coar/edit-judge';
import type { DatasetView, EditView, GoalView, RunView } from '../../worker/protocol/protocol';
import { downloadBlob } from './download';
import { defaultChoice, defaultMaxK, editKey, editSpecOf, presetChoice, type EditChoice } from './edit-spec';
import type { Tone } from './use-messages';
import type { CoarClient, WorkerError } from './worker-client';
import { followLatest } from './follow-latest';

/** What the goal presets show: a search running, its result, or why it could not start. */
export type GoalState = { goal: EditGoal; running: true } | { goal: EditGoal; view: GoalView } | { goal: EditGoal; message: string };

/** Accuracy points typed for the damage budget, as a fraction; null when not a number from 0 to 100. */
export function parseBudget(text: string): number | null {
  const x = Number(text);
  return text.trim() !== '' && Number.isFinite(x) && x >= 0 && x <= 100 ? x / 100 : null;
}

export function useEdit(client: CoarClient, run: RunView | null, dataset: DatasetView | null, selected: number, push: (tone: Tone, text: string, code?: string) => void, initialBudget: number = APP_CONFIG.edit.damageBudget) {
  const subsets = useMemo(() => Object.keys(dataset?.subsets ?? {}), [dataset]);
  const [choice, setChoice] = useState<EditChoice>(() => defaultChoice(subsets));
  const [k, setK] = useState(0);
  const [active, setActive] = useState(false);
  const [result, setResult] = useState<EditView | null>(null);
  const [resultKey, setResultKey] = useState<string | null>(null);
  const [stage, setStage] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [goal, setGoal] = useState<GoalState | null>(null);
  const [backdoorMaxK, setBackdoorMaxK] = useState('');
  const [exporting, setExporting] = useState(false);
  const [budget, setBudget] = useState(() => String(Number((100 * initialBudget).toFixed(2))));
  const latest = useRef<number | null>(null);
  const searching = useRef(false);
  const runRef = useRef(run);
  runRef.current = run;
  const N = run?.componentCount ?? 0;

  // Another run (a refit, the live run, another preset) starts the panel afresh.
  useEffect(() => {
    setChoice(defaultChoice(subsets));
    setK(0);
    setActive(false);
    setResult(null);
    setResultKey(null);
    setProblem(null);
    setGoal(null);
    setBackdoorMaxK(String(defaultMaxK('backdoor', N)));
  }, [run, subsets, N]);

  const selectedIndex = run ? run.examples[selected] ?? 0 : 0;
  const parsed = useMemo(() => (run ? editSpecOf(choice, run.slot, selectedIndex) : null), [choice, run, selectedIndex]);
  const spec = parsed && 'spec' in parsed ? parsed.spec : null;
  const formError = parsed && 'error' in parsed ? parsed.error : null;
  const key = spec ? editKey(spec, k) : null;

  const cancelLatest = useCallback(() => {
    if (latest.current !== null) void client.cancel(latest.current);
    latest.current = null;
  }, [client]);

  const show = useCallback((view: EditView) => {
    setResult(view);
    setResultKey(editKey(view.spec, view.outcome.k));
    setK(view.outcome.k);
    setProblem(null);
    setStage(null);
  }, []);

  // The live edit: once the user has touched the panel, every change of the choice or of k asks the worker again.
  useEffect(() => {
    cancelLatest();
    if (!active || searching.current) return;
    if (!spec || !key || key === resultKey) {
      setStage(null);
      return;
    }
    setStage('Waiting…');
    const timer = setTimeout(() => {
      const job = client.request<'edit'>({ type: 'edit', spec, k }, (p) => { if (latest.current === job.id) setStage(p.stage); });
      followLatest(latest, job, show, (error) => {
        setStage(null);
        if (error.code !== 'cancelled') setProblem(error.message);
      });
    }, APP_CONFIG.edit.debounceMs);
    return () => clearTimeout(timer);
    // `spec` is left out on purpose: it changes exactly when `key` does.
  }, [key, active, resultKey, client, cancelLatest, show]);

  const change = useCallback((next: Partial<EditChoice>) => {
    setActive(true);
    setChoice((c) => ({ ...c, ...next }));
  }, []);

  const changeK = useCallback((value: number) => {
    setActive(true);
    setK(value);
  }, []);

  const runGoal = useCallback((g: EditGoal) => {
    if (!run || searching.current) return;
    if (g === 'fix' && run.baseOutputs[selected] > 0) {
      const name = dataset?.classNames[run.labels[selected]] ?? String(run.labels[selected]);
      setGoal({ goal: g, message: `Example #${selectedIndex} is already classified correctly (as ${name}): select a misclassified one (marked ✗ in red in the gallery) to fix.` });
      return;
    }
    const next = presetChoice(g, choice, run.labels[selected], subsets);
    const parsedNext = editSpecOf(next, run.slot, selectedIndex);
    if ('error' in parsedNext) {
      setGoal({ goal: g, message: parsedNext.error });
      return;
    }
    const maxK = g === 'backdoor' ? Number(backdoorMaxK) : defaultMaxK(g, N);
    if (!Number.isInteger(maxK) || maxK < 1 || maxK > N) {
      setGoal({ goal: g, message: `The largest k to try must be a whole number from 1 to ${N}.` });
      return;
    }
    cancelLatest();
    searching.current = true;
    setActive(true);
    setChoice(next);
    setGoal({ goal: g, running: true });
    setProblem(null);
    setStage('Waiting for the worker…');
    const job = client.request<'edit-goal'>({ type: 'edit-goal', spec: parsedNext.spec, goal: g, maxK }, (p) => setStage(p.stage));
    job.promise.then((view) => {
      searching.current = false;
      if (runRef.current !== run) return;
      show(view);
      setGoal({ goal: g, view });
    }, (error: WorkerError) => {
      searching.current = false;
      if (runRef.current !== run) return;
      setStage(null);
      setGoal({ goal: g, message: error.code === 'cancelled' ? 'The search was cancelled.' : `The search failed: ${error.message}` });
    });
  }, [run, dataset, selected, selectedIndex, choice, subsets, backdoorMaxK, N, client, cancelLatest, show]);

  const exportModel = useCallback(() => {
    if (!result || !run) return;
    setExporting(true);
    client.request<'export-edited-model'>({ type: 'export-edited-model', slot: run.slot, components: result.outcome.components }).promise.then((files) => {
      setExporting(false);
      downloadBlob('model.json', new Blob([files.modelJson], { type: 'application/json' }));
      downloadBlob(files.weightsFileName, new Blob([files.weights], { type: 'application/octet-stream' }));
      push('info', `Saved the edited ${files.modelName} (${files.components.length} component${files.components.length === 1 ? '' : 's'} zeroed) as model.json + ${files.weightsFileName}: keep them in one folder and load with tf.loadLayersModel('…/model.json').`, 'export-model');
    }, (error: WorkerError) => {
      setExporting(false);
      push('error', `The edited model could not be exported: ${error.message}`, error.code);
    });
  }, [client, result, run, push]);

  const current = result !== null && resultKey === key;
  const maxK = useMemo(() => ({ fix: defaultMaxK('fix', N), forget: defaultMaxK('forget', N), backdoor: defaultMaxK('backdoor', N) }), [N]);
  return {
    subsets, choice, change, k, changeK, spec, formError, result, current, stage, problem, goal, runGoal,
    backdoorMaxK, setBackdoorMaxK, exportModel, exporting, budget, setBudget, budgetValue: parseBudget(budget), maxK,
  };
}
