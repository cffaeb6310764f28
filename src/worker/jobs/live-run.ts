/**
 * A live COAR run in the browser: draw the masks, sample them in chunks (cancellable; a lost
 * GPU device moves the work to the next backend without losing finished rows), then fit.
 */
import { discoverComponents } from '../../coar/components';
import { CoarError } from '../../coar/errors';
import { fitRun, sampleRun, sessionFor, startRun } from '../../coar/run';
import { DEFAULT_SETTINGS, type RunSettings } from '../../coar/settings';
import { resolveScores, SCORE_CHOICES, scoreSourceProblem, type FinalActivation } from '../../coar/scores';
import type { LiveRunRequestSettings, Progress, RunView, SampleDone } from '../protocol/protocol';
import { liveRunProblems } from './run-request-checks';
import { holdRunLock } from '../storage/run-locks';
import { buildRunView } from './run-view';
import { countDone, revertNewRows } from './views';
import { yieldToEventLoop } from '../../coar/ablate';
import type { RunState, Workspace } from '../workspace/workspace';
import { RunSaver } from '../storage/run-saver';
import type { RunSource } from '../storage/run-store';
import { runStoreOrWarn, storeAsset } from '../storage/storage';

type Report = (p: Progress) => void;

export function liveSettings(req: LiveRunRequestSettings, datasetCount: number, finalActivation: FinalActivation | null): RunSettings {
  // Checked before anything is allocated (a page or an address may ask for 10¹² masks).
  const problems = liveRunProblems(req, datasetCount);
  if (problems.length) throw new CoarError(`The run cannot start: ${problems.join('; ')}.`, 'bad-settings');
  const count = Math.floor(req.exampleCount);
  if (!Number.isInteger(count) || count < 1 || count > datasetCount) {
    throw new CoarError(`The number of examples must be a whole number from 1 to ${datasetCount} (got ${req.exampleCount}).`, 'bad-example');
  }
  const choice = req.scores ?? 'auto';
  if (!SCORE_CHOICES.includes(choice)) throw new CoarError(`"Margins on" must be one of ${SCORE_CHOICES.join(', ')} (got "${String(choice).slice(0, 40)}").`, 'bad-settings');
  const scores = resolveScores(choice, finalActivation);
  const problem = scoreSourceProblem(scores, finalActivation);
  if (problem) throw new CoarError(`Margins on "${scores}": ${problem}.`, 'bad-settings');
  return {
    ...DEFAULT_SETTINGS,
    alpha: req.alpha,
    trainMasks: req.trainMasks,
    valMasks: req.valMasks,
    seed: req.seed,
    ablation: req.ablation,
    output: 'margin',
    scores,
    layers: req.layers.slice(),
    examples: Array.from({ length: count }, (_, i) => i),
  };
}

export async function startLiveRun(ws: Workspace, req: LiveRunRequestSettings, signal: AbortSignal, report: Report): Promise<{ done: SampleDone; transfer: ArrayBuffer[] }> {
  const settings = liveSettings(req, ws.data.meta.count, ws.summary.finalActivation);
  if (settings.layers.length === 0) throw new CoarError('Choose at least one layer whose components to study.', 'no-components');
  report({ stage: 'Running the model with nothing ablated' });
  const components = discoverComponents(ws.model, { layers: settings.layers });
  const session = sessionFor(ws.model, components, ws.data, settings);
  const run = await startRun({
    session, components, settings,
    model: { name: ws.modelBytes.name, fingerprint: ws.fingerprints.model },
    data: { name: ws.data.meta.name, fingerprint: ws.fingerprints.data },
    labels: Int32Array.from(settings.examples, (i) => ws.data.labels[i]),
  });
  // The user's model and data are stored with their first run, so the run can be reopened after a reload.
  if (ws.source.kind === 'custom') await storeAsset(ws, ws.onEvent);
  const saver = await RunSaver.begin(await runStoreOrWarn(ws.onEvent, 'This run'), run, { name: defaultRunName(ws, settings), source: storedSourceOf(ws) }, ws.onEvent);
  ws.setRun({ slot: 'live', run, source: 'computed live in this browser', components, session, predictedClass: null, saver });
  return sampleLiveRun(ws, signal, report);
}

export function storedSourceOf(ws: Workspace): RunSource {
  return ws.source.kind === 'preset' ? { kind: 'preset', preset: ws.source.preset } : { kind: 'custom', assetId: ws.source.assetId };
}

function defaultRunName(ws: Workspace, settings: RunSettings): string {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return `${ws.modelBytes.name} · ${settings.examples.length} examples · ${settings.trainMasks} masks · α ${settings.alpha} · ${when}`;
}

function liveState(ws: Workspace): RunState {
  const state = ws.runs.live;
  if (!state) throw new CoarError('There is no live run yet: start one first.', 'no-run');
  return state;
}

function counts(state: RunState) {
  const { run } = state;
  return {
    trainDone: countDone(run.train.done), trainTotal: run.train.done.length,
    validationDone: countDone(run.validation.done), validationTotal: run.validation.done.length,
  };
}

/** Samples every row of the live run not done yet, then fits (unless cancelled). */
export async function sampleLiveRun(ws: Workspace, signal: AbortSignal, report: Report): Promise<{ done: SampleDone; transfer: ArrayBuffer[] }> {
  const state = liveState(ws);
  // Another tab sampling the same stored run is refused before anything is written to its record.
  const release = state.saver ? await holdRunLock(state.saver.id) : () => {};
  ws.samplingStoredId = state.saver?.id ?? null;
  try {
    return await sampleAndFit(ws, state, signal, report);
  } catch (e) {
    // A failed run is "stopped", not "sampling": a reload should not offer to resume it as if it had been interrupted.
    await state.saver?.setStatus('stopped');
    throw e;
  } finally {
    ws.samplingStoredId = null;
    release();
  }
}

async function sampleAndFit(ws: Workspace, state: RunState, signal: AbortSignal, report: Report): Promise<{ done: SampleDone; transfer: ArrayBuffer[] }> {
  const { run } = state;
  const n = run.settings.examples.length;
  const totalRows = run.train.done.length + run.validation.done.length;
  const doneAtStart = countDone(run.train.done) + countDone(run.validation.done);
  await state.saver?.setStatus('sampling');
  let result: Awaited<ReturnType<typeof sampleRun>> | null = null;
  while (!result) {
    const doneBefore = countDone(run.train.done) + countDone(run.validation.done);
    let snapshot: [Uint8Array, Uint8Array] = [run.train.done.slice(), run.validation.done.slice()];
    const revert = () => revertNewRows(run.train.done, snapshot[0]) + revertNewRows(run.validation.done, snapshot[1]);
    try {
      const session = ws.sessionOf(state);
      const pairsPerBatch = ws.pairsPerBatch;
      const route = ws.routeFor();
      report({ stage: `Sampling ablations on ${ws.backend.name}${route ? '' : ' (timing the batch layouts first)'}`, done: doneBefore, total: totalRows, pairsDone: doneBefore * n, pairsTotal: totalRows * n });
      result = await sampleRun(run, session, {
        signal,
        route,
        pairsPerBatch,
        rowsPerChunk: Math.max(1, Math.ceil(pairsPerBatch / n)),
        onProgress: (p) => report({
          stage: `Sampling ${p.block === 'train' ? 'training' : 'validation'} ablations on ${ws.backend.name}`,
          done: doneBefore + p.done, total: totalRows,
          pairsDone: (doneBefore + p.done) * n, pairsTotal: totalRows * n,
          pairsPerSecond: p.pairsPerSecond, etaSeconds: p.etaSeconds,
        }),
        onChunk: async () => {
          // Let a cancel (or a device-lost notice) in before the next chunk.
          await yieldToEventLoop();
          if (ws.deviceLost) {
            revert();
            throw new CoarError(`The WebGPU device was lost (${ws.deviceLost}).`, 'device-lost');
          }
          await state.saver?.saveNewRows(run, snapshot);
          snapshot = [run.train.done.slice(), run.validation.done.slice()];
        },
      });
    } catch (e) {
      if (await ws.isGpuFailure(e)) {
        revert();
        const why = ws.deviceLost ?? (e as Error).message;
        report({ stage: `The GPU failed (${why}); moving to the next backend`, done: doneBefore, total: totalRows });
        await ws.fallBack(`the WebGPU device was lost or failed (${why})`);
        continue;
      }
      throw e;
    }
  }
  ws.rememberRoute(result.route);
  state.pairsPerSecond = result.pairsPerSecond;
  state.route = result.route;
  const c = counts(state);
  const rowsComputedNow = c.trainDone + c.validationDone - doneAtStart;
  const storedId = state.saver?.id ?? null;
  if (result.cancelled) {
    await state.saver?.setStatus('stopped');
    return { done: { run: null, cancelled: true, ...c, pairsPerSecond: result.pairsPerSecond, rowsComputedNow, storedId }, transfer: [] };
  }
  const { view, transfer } = await fitLiveRun(ws, report);
  await state.saver?.complete(run);
  return { done: { run: view, cancelled: false, ...c, pairsPerSecond: result.pairsPerSecond, rowsComputedNow, storedId }, transfer };
}

/** Fits the live run to the rows computed so far. */
export async function fitLiveRun(ws: Workspace, report: Report): Promise<{ view: RunView; transfer: ArrayBuffer[] }> {
  const state = liveState(ws);
  const c = counts(state);
  report({ stage: `Fitting attributions to ${c.trainDone.toLocaleString('en-US')} masks` });
  const t0 = performance.now();
  // The fit runs in this worker: the page stays responsive and hears each step.
  await ws.onFitBackend(() => fitRun(state.run, (s) => report({ stage: `Fitting attributions to ${c.trainDone.toLocaleString('en-US')} masks: ${s.label.toLowerCase()}`, done: s.done, total: s.total })));
  state.fitSeconds = (performance.now() - t0) / 1000;
  return ws.recovering(() => buildRunView(ws, state));
}
