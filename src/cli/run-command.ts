/** `coar run`: sample the ablation data set (resuming a partial --out) and fit attributions. */
import { existsSync } from 'node:fs';
import { disposeSession } from '../coar/ablate';
import { CoarError } from '../coar/errors';
import { runProgress, type RunData } from '../coar/runfile';
import { checkRunMatches } from '../coar/run-merge';
import { fitRun, sampleRun, sessionFor, startRun, type SampleProgress } from '../coar/run';
import { DEFAULT_SETTINGS, type RunSettings } from '../coar/settings';
import { ABLATION_KINDS, formatDuration, OUTPUT_KINDS, parseChoice, parseExamples, parseInteger, parseList, parseNumber, parseShard, SAMPLING_MODES } from './args';
import { openWorkspace, readRunFile, writeRunFile } from './context';
import { dataFlagsOf } from './data-source';
import type { CliOptions } from './main';

/** Seconds between checkpoint writes of the run file while sampling. */
const CHECKPOINT_SECONDS = 2;

function settingsDifference(a: RunSettings, b: RunSettings): string[] {
  return (Object.keys(a) as (keyof RunSettings)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k}: file has ${JSON.stringify(a[k]).slice(0, 40)}, asked ${JSON.stringify(b[k]).slice(0, 40)}`);
}

export async function runCommand(o: CliOptions): Promise<void> {
  if (!o.out) throw new CoarError('--out is required: the run file to write (or resume).', 'usage');
  if (!o.model) throw new CoarError('--model is required: a model.json path or URL.', 'usage');
  if (!o.data) throw new CoarError('--data is required: a data set folder (with dataset.json) or a folder of images.', 'usage');
  const started = performance.now();
  const ws = await openWorkspace(o.model, o.data, parseList(o.layers), dataFlagsOf(o));
  const settings: RunSettings = {
    alpha: parseNumber('alpha', o.alpha, DEFAULT_SETTINGS.alpha),
    trainMasks: parseInteger('masks', o.masks, DEFAULT_SETTINGS.trainMasks),
    valMasks: parseInteger('val-masks', o['val-masks'], DEFAULT_SETTINGS.valMasks),
    seed: parseInteger('seed', o.seed, DEFAULT_SETTINGS.seed),
    sampling: parseChoice('sampling', o.sampling, SAMPLING_MODES, DEFAULT_SETTINGS.sampling),
    ablation: parseChoice('ablation', o.ablation, ABLATION_KINDS, DEFAULT_SETTINGS.ablation),
    output: parseChoice('output', o.output, OUTPUT_KINDS, DEFAULT_SETTINGS.output),
    layers: parseList(o.layers),
    examples: parseExamples(o.examples, ws.data.meta.count),
  };
  const shard = parseShard(o.shard);
  const route = o.route === undefined ? undefined : parseChoice('route', o.route, ['per-sample', 'shared'] as const, 'shared');
  const session = sessionFor(ws.model, ws.components, ws.data, settings);
  let run: RunData;
  if (existsSync(o.out)) {
    run = await readRunFile(o.out);
    checkRunMatches(run, { modelFingerprint: ws.modelInfo.fingerprint, dataFingerprint: ws.dataInfo.fingerprint, componentCount: ws.components.count, modelName: o.model, dataName: ws.dataInfo.name });
    const diff = settingsDifference(run.settings, settings);
    if (diff.length) throw new CoarError(`${o.out} already holds a run with other settings (${diff.join('; ')}). Use another --out, or delete the file to start over.`, 'run-mismatch');
    const p = runProgress(run);
    process.stderr.write(`resuming ${o.out}: ${p.trainDone}/${p.trainTotal} training and ${p.validationDone}/${p.validationTotal} validation masks already done\n`);
  } else {
    run = await startRun({ session, components: ws.components, settings, model: ws.modelInfo, data: ws.dataInfo, labels: Int32Array.from(settings.examples, (i) => ws.data.labels[i]), shard });
  }

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  let lastWrite = performance.now();
  const result = await sampleRun(run, session, {
    shard,
    route,
    signal: abort.signal,
    onProgress: (p: SampleProgress) => process.stderr.write(
      `\r${p.block.padEnd(10)} ${p.done}/${p.total} masks · ${Math.round(p.pairsPerSecond).toLocaleString('en-US')} pairs/s · ETA ${formatDuration(p.etaSeconds)}   `),
    onChunk: async (r) => {
      if ((performance.now() - lastWrite) / 1000 >= CHECKPOINT_SECONDS) {
        await writeRunFile(o.out!, r);
        lastWrite = performance.now();
      }
    },
  });
  process.removeListener('SIGINT', onSigint);
  process.stderr.write('\n');
  const progress = runProgress(run);
  const complete = progress.trainDone === progress.trainTotal && progress.validationDone === progress.validationTotal;
  const fit = complete && !result.cancelled ? await fitRun(run) : undefined;
  await writeRunFile(o.out, run);
  disposeSession(session);
  if (result.cancelled) {
    process.stderr.write(`interrupted: progress saved in ${o.out}; run the same command again to resume\n`);
    process.exitCode = 130;
  } else if (!complete) {
    process.stderr.write(`shard done; merge the shards with: npm run coar -- merge SHARDS... --out RUN\n`);
  }
  process.stdout.write(JSON.stringify({
    out: o.out,
    examples: settings.examples.length,
    components: ws.components.count,
    ...progress,
    route: result.route,
    routeTimings: result.routeTimings,
    pairsPerSecond: Math.round(result.pairsPerSecond),
    fitted: Boolean(fit),
    lambda: fit?.attributions.lambda,
    validationCorrelation: fit?.validationCorrelation,
    fitSeconds: fit ? Object.values(fit.timings as Record<string, number>).reduce((a, b) => a + b, 0) : undefined,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }) + '\n');
}
