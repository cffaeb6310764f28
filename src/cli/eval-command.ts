/** `coar eval`: held-out correlation of the run's attributions at several alphas, with baselines. */
import { disposeSession } from '../coar/ablate';
import { BASELINE_NAMES, isBaselineName } from '../coar/baselines';
import { CoarError } from '../coar/errors';
import { evaluateHeldOut } from '../coar/heldout';
import { checkRunMatches } from '../coar/run-merge';
import { sessionFor } from '../coar/run';
import { DEFAULT_EVAL_MASKS } from '../coar/settings';
import { defaultCurveSizes, maskCountCurve } from '../coar/curves';
import { LIMITS } from '../coar/limits';
import { parseCount, parseInteger, parseList, parseNumber } from './args';
import { openWorkspace, readRunFile } from './context';
import { dataFlagsOf, runLocations } from './data-source';
import type { CliOptions } from './options';

export async function evalCommand(files: string[], o: CliOptions): Promise<void> {
  if (files.length !== 1) throw new CoarError('eval takes one run file: npm run coar -- eval RUN --model M --data D [--alphas ...]', 'usage');
  const run = await readRunFile(files[0]);
  const alphas = parseList(o.alphas).map((a) => parseNumber('alphas', a));
  if (alphas.length === 0) alphas.push(run.settings.alpha);
  const baselines = parseList(o.baselines);
  for (const b of baselines) if (!isBaselineName(b)) throw new CoarError(`--baselines: unknown baseline "${b}" (use ${BASELINE_NAMES.join(', ')}).`, 'usage');
  const masksPerAlpha = parseCount('masks', o.masks, DEFAULT_EVAL_MASKS, LIMITS.masks);
  // Only what the user passes is opened: a run file's recorded locations are printed, never read.
  const where = runLocations('eval', files[0], run, o);
  const ws = await openWorkspace(where.model, where.data, run.settings.layers, dataFlagsOf(o));
  checkRunMatches(run, { modelFingerprint: ws.modelInfo.fingerprint, dataFingerprint: ws.dataInfo.fingerprint, componentCount: ws.components.count, layers: ws.components.layers, modelName: ws.modelInfo.name, dataName: ws.dataInfo.name });
  const session = sessionFor(ws.model, ws.components, ws.data, run.settings);
  const report = await evaluateHeldOut(run, session, {
    alphas, masksPerAlpha, baselines: baselines.filter(isBaselineName),
    onProgress: (m) => process.stderr.write(`${m}\n`),
  });
  disposeSession(session);
  // --mask-curve: validation correlation when refitting on the first k masks (or "auto").
  const maskCurve = o['mask-curve'] === undefined ? undefined
    : await maskCountCurve(run, o['mask-curve'] === 'auto' ? defaultCurveSizes(run.train.masks.count) : parseList(o['mask-curve']).map((k) => parseInteger('mask-curve', k)));
  const methods = Object.keys(report.scores[0].mean);
  const byMethod = Object.fromEntries(methods.map((m) => [m, Object.fromEntries(report.scores.map((s) => [String(s.alpha), round(s.mean[m])]))]));
  if (o.json) {
    process.stdout.write(JSON.stringify({ trainedAlpha: report.trainedAlpha, masksPerAlpha, examples: run.labels.length, components: run.componentCount, alphas, ...byMethod, ...(maskCurve ? { maskCurve } : {}) }) + '\n');
    return;
  }
  process.stdout.write(`mean held-out correlation (${run.labels.length} examples, ${masksPerAlpha} masks per alpha; fitted at alpha ${report.trainedAlpha})\n`);
  process.stdout.write(`${'alpha'.padEnd(8)}${methods.map((m) => m.padStart(12)).join('')}\n`);
  for (const s of report.scores) process.stdout.write(`${String(s.alpha).padEnd(8)}${methods.map((m) => s.mean[m].toFixed(3).padStart(12)).join('')}\n`);
  for (const p of maskCurve ?? []) process.stdout.write(`refit on ${p.masks} masks: validation correlation ${p.validationCorrelation?.toFixed(3) ?? '—'}\n`);
}

const round = (x: number) => Math.round(x * 10000) / 10000;
