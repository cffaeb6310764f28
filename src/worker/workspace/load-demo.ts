/**
 * Loading a bundled preset: model and data (required), then the precomputed run (optional: when
 * it is missing or does not match, the page says so and offers a live run).
 */
import { discoverComponents } from '../../coar/components';
import { CoarError } from '../../coar/errors';
import { fitRun } from '../../coar/run';
import { decodeRunFile, runProgress } from '../../coar/runfile';
import { checkRunMatches } from '../../coar/run-merge';
import { fetchBytes } from './fetch-files';
import { fetchDataset } from './images-input';
import { fetchModel } from './model-input';
import { openWorkspace, type BackendChoice } from './open-workspace';
import type { DemoUrls, LoadResult, Progress, WorkerEvent } from '../protocol/protocol';
import { buildRunView } from '../jobs/run-view';
import type { RunState, Workspace } from './workspace';

/** Reads the precomputed run into the demo slot; returns its view, or why it cannot be shown. */
async function loadPrecomputedRun(ws: Workspace, url: string, progress: (p: Progress) => void): Promise<{ run: LoadResult['run']; runProblem: string | null; transfer: ArrayBuffer[] }> {
  try {
    const run = decodeRunFile(new Uint8Array(await fetchBytes(url, 'the precomputed run file')));
    const components = discoverComponents(ws.model, { layers: run.settings.layers });
    checkRunMatches(run, { modelFingerprint: ws.fingerprints.model, dataFingerprint: ws.fingerprints.data, componentCount: components.count, layers: components.layers, modelName: ws.modelBytes.name, dataName: ws.data.meta.name });
    const p = runProgress(run);
    const masks = p.trainDone === p.trainTotal ? `${p.trainTotal.toLocaleString('en-US')} masks` : `unfinished: ${p.trainDone.toLocaleString('en-US')} of ${p.trainTotal.toLocaleString('en-US')} masks`;
    const state: RunState = { slot: 'demo', run, source: `precomputed by the command-line tool (${masks}, ${p.validationDone.toLocaleString('en-US')} held out)`, components, session: null, predictedClass: null };
    ws.setRun(state);
    if (!run.fit) {
      if (p.trainDone === 0) throw new CoarError('the run file holds no computed masks yet.', 'not-fitted');
      progress({ stage: 'Fitting the precomputed run' });
      await ws.onFitBackend(() => fitRun(run));
    }
    const built = await ws.recovering(() => buildRunView(ws, state));
    return { run: built.view, runProblem: null, transfer: built.transfer };
  } catch (e) {
    if (!(e instanceof CoarError)) console.error(e);
    const message = e instanceof Error ? e.message : String(e);
    return { run: null, runProblem: `The precomputed attributions could not be shown: ${message} You can still compute them live with "Start run" below.`, transfer: [] };
  }
}

export async function loadDemo(
  preset: string,
  urls: DemoUrls,
  choice: BackendChoice,
  progress: (p: Progress) => void,
  onEvent: (e: WorkerEvent) => void,
): Promise<{ ws: Workspace; result: LoadResult; transfer: ArrayBuffer[] }> {
  progress({ stage: 'Downloading the model and the data set' });
  const [bytes, data] = await Promise.all([fetchModel(urls.model), fetchDataset(urls.data)]);
  const { ws, base, transfer } = await openWorkspace(bytes, data, { kind: 'preset', preset }, choice, progress, onEvent);
  progress({ stage: 'Reading the precomputed run' });
  const precomputed = await loadPrecomputedRun(ws, urls.run, progress);
  return { ws, result: { ...base, run: precomputed.run, runProblem: precomputed.runProblem, dataCheck: null }, transfer: [...precomputed.transfer, ...transfer] };
}
