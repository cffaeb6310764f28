/**
 * Runs kept in the browser's storage (list, rename, delete, reopen), run files imported from
 * disk, and attribution exports. Reopening may need another model and data set than the ones
 * loaded: the caller passes `openFor`, which replaces the workspace when it has to.
 */
import { componentNames, discoverComponents } from '../../coar/components';
import { CoarError } from '../../coar/errors';
import { printable } from '../../coar/printable';
import { attributionsCsv, encodeNpy } from '../../coar/export';
import { fitRun } from '../../coar/run';
import { decodeRunFile, runProgress, type RunData } from '../../coar/runfile';
import { checkRunMatches } from '../../coar/run-merge';
import type { DataResultOf, LoadResult, OpenedRun, Progress, RunSlot, RunView } from '../protocol/protocol';
import type { RunSource, StoredRunMeta } from './run-store';
import { RunSaver } from './run-saver';
import { buildRunView } from '../jobs/run-view';
import { runStore } from './storage';
import { runBusyError, runLocksAvailable, runsBusyElsewhere } from './run-locks';
import type { RunState, Workspace } from '../workspace/workspace';

/**
 * The stored runs, and which of them another tab is sampling now (`own`: the run this worker
 * samples). `settle`: the page's first listing waits briefly for a just-reloaded tab's locks to go.
 */
export async function listRuns(own: string | null = null, settle = false): Promise<DataResultOf['list-runs']> {
  try {
    const store = await runStore();
    const runs = await store.list();
    const busyElsewhere = await runsBusyElsewhere(own, settle ? SETTLE_MS : 0);
    return { runs, usage: await store.usage(), available: true, problem: null, busyElsewhere, locksAvailable: runLocksAvailable() };
  } catch (e) {
    return { runs: [], usage: null, available: false, problem: `Runs cannot be saved in this browser: ${(e as Error).message}`, busyElsewhere: [], locksAvailable: runLocksAvailable() };
  }
}

/** How long the first listing waits for a reloaded tab's run lock to be released. */
const SETTLE_MS = 1500;

/** Refuses a run another tab is sampling (it holds the run's lock). */
export async function refuseIfBusyElsewhere(runId: string, own: string | null = null): Promise<void> {
  if (runId !== own && (await runsBusyElsewhere(own)).includes(runId)) throw runBusyError();
}

/** Puts `run` in the live slot of `ws` after checking it belongs to the loaded model and data. */
function attachLiveRun(ws: Workspace, run: RunData, source: string, saver: RunSaver | null): RunState {
  const components = discoverComponents(ws.model, { layers: run.settings.layers });
  checkRunMatches(run, { modelFingerprint: ws.fingerprints.model, dataFingerprint: ws.fingerprints.data, componentCount: components.count, layers: components.layers, modelName: ws.modelBytes.name, dataName: ws.data.meta.name });
  const state: RunState = { slot: 'live', run, source, components, session: null, predictedClass: null, saver };
  ws.setRun(state);
  return state;
}

async function fittedView(ws: Workspace, state: RunState, report: (p: Progress) => void): Promise<{ view: RunView; transfer: ArrayBuffer[] }> {
  if (!state.run.fit) {
    report({ stage: 'Fitting the attributions' });
    await ws.onFitBackend(() => fitRun(state.run));
  }
  return ws.recovering(() => buildRunView(ws, state));
}

export type OpenFor = (source: RunSource) => Promise<{ ws: Workspace; load: LoadResult | null; transfer: ArrayBuffer[] }>;

/**
 * Reads a stored run and attaches it to the workspace it needs. That workspace may be new (the
 * caller installs it on success); on failure a new one is dropped and the loaded one stays.
 */
export async function openStoredRun(runId: string, openFor: OpenFor, report: (p: Progress) => void): Promise<{ ws: Workspace; result: OpenedRun; transfer: ArrayBuffer[] }> {
  const store = await runStore();
  await refuseIfBusyElsewhere(runId);
  report({ stage: 'Reading the saved run' });
  const { meta, run } = await store.load(runId);
  const { ws, load, transfer } = await openFor(meta.source);
  try {
    const saver = meta.status === 'complete' ? null : RunSaver.resume(store, meta, ws.onEvent);
    const state = attachLiveRun(ws, run, `saved in this browser as "${meta.name}"`, saver);
    const p = runProgress(run);
    const complete = p.trainDone === p.trainTotal && p.validationDone === p.validationTotal;
    const progress = { run: null, cancelled: !complete, ...p, pairsPerSecond: 0, rowsComputedNow: 0, storedId: meta.id };
    if (!complete) return { ws, result: { load, meta, run: null, progress }, transfer };
    const built = await fittedView(ws, state, report);
    return { ws, result: { load, meta, run: built.view, progress }, transfer: [...transfer, ...built.transfer] };
  } catch (e) {
    if (load) ws.dispose();
    throw e;
  }
}

export async function importRunFile(ws: Workspace, file: File, report: (p: Progress) => void): Promise<{ view: RunView; transfer: ArrayBuffer[] }> {
  const name = printable(file.name);
  report({ stage: `Reading ${name}` });
  try {
    // The engine's decoder checks every field (settings, layers, finite numbers) before anything reads them.
    const run = decodeRunFile(new Uint8Array(await file.arrayBuffer()));
    if (runProgress(run).trainDone === 0) throw new CoarError(`${name} holds no computed masks yet: nothing to show.`, 'not-fitted');
    const state = attachLiveRun(ws, run, `imported from ${name}`, null);
    return await fittedView(ws, state, report);
  } catch (e) {
    if (e instanceof CoarError) throw new CoarError(e.message.includes(name) ? e.message : `${name} could not be imported: ${e.message}`, e.code);
    // Anything else is a file the checks let through: say so in words, not as a TypeError.
    console.error(e);
    throw new CoarError(`${name} could not be imported: it is not a run file this page can read (${e instanceof Error ? e.message : String(e)}).`, 'malformed-run');
  }
}

export function exportAttributions(ws: Workspace, slot: RunSlot, format: 'npy' | 'csv'): { fileName: string; bytes: Uint8Array } {
  const state = ws.runs[slot];
  if (!state?.run.fit) throw new CoarError(`There are no fitted ${slot} attributions to export yet.`, 'not-fitted');
  const { run } = state;
  const base = `${ws.modelBytes.name}-${slot}-attributions`;
  if (format === 'npy') return { fileName: `${base}.npy`, bytes: encodeNpy(run.fit!.weights, [run.labels.length, run.componentCount]) };
  return { fileName: `${base}.csv`, bytes: new TextEncoder().encode(attributionsCsv(run, componentNames(run))) };
}

export async function renameRun(runId: string, name: string): Promise<StoredRunMeta> {
  return (await runStore()).rename(runId, name);
}

export async function deleteRun(runId: string): Promise<{ deleted: boolean }> {
  await (await runStore()).delete(runId);
  return { deleted: true };
}
