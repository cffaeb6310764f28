/** `coar run`: sample the ablation data set (resuming a partial --out) and fit attributions. */
import { existsSync } from 'node:fs';
import { disposeSession } from '../coar/ablate';
import { CoarError } from '../coar/errors';
import { runProgress, type RunData } from '../coar/runfile';
import { checkRunMatches } from '../coar/run-merge';
import { fitRun, sampleRun, sessionFor, startRun, type SampleProgress } from '../coar/run';
import { DEFAULT_SETTINGS, type RunSettings } from '../coar/settings';
import { LIMITS } from '../coar/limits';
import { printable } from '../coar/printable';
import { ABLATION_KINDS, formatDuration, OUTPUT_KINDS, parseChoice, parseCount, parseExamples, parseInteger, parseList, parseNumber, parseShard, parseValMasks, SAMPLING_MODES } from './args';
import { checkOutputFolder, openWorkspace, readRunFile, writeRunFile } from './context';
import { dataFlagsOf } from './data-source';
import { dataReportJson, reportData, scoresFor } from './data-report';
import type { CliOptions } from './options';
import { expandOutPattern, resolveShard } from './shard-auto';


function settingsDifference(a: RunSettings, b: RunSettings): string[] {
  return (Object.keys(a) as (keyof RunSettings)[]).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k}: file has ${JSON.stringify(a[k]).slice(0, 40)}, asked ${JSON.stringify(b[k]).slice(0, 40)}`);
}

export async function runCommand(o: CliOptions): Promise<void> {
  if (!o.out) throw new CoarError('--out is required: the run file to write (or resume).', 'usage');
  // The shard first: --shard auto reads the scheduler's variables, and --out may name the shard.
  const { shard, description: shardSource } = resolveShard(o.shard, o['shard-count'], process.env, parseShard);
  const out = expandOutPattern(o.out, shard);
  if (shardSource) process.stderr.write(`${shardSource}, writing ${printable(out)}\n`);
  await checkOutputFolder(out);
  if (!o.model) throw new CoarError('--model is required: a model.json path or URL.', 'usage');
  if (!o.data) throw new CoarError('--data is required: a data set folder (with dataset.json) or a folder of images.', 'usage');
  const started = performance.now();
  // Counts are checked before the model and data are opened.
  const trainMasks = parseCount('masks', o.masks, DEFAULT_SETTINGS.trainMasks, LIMITS.masks);
  const valMasks = parseValMasks(o['val-masks'], DEFAULT_SETTINGS.valMasks);
  const ws = await openWorkspace(o.model, o.data, parseList(o.layers), dataFlagsOf(o));
  const settings: RunSettings = {
    alpha: parseNumber('alpha', o.alpha, DEFAULT_SETTINGS.alpha),
    trainMasks,
    valMasks,
    seed: parseInteger('seed', o.seed, DEFAULT_SETTINGS.seed),
    sampling: parseChoice('sampling', o.sampling, SAMPLING_MODES, DEFAULT_SETTINGS.sampling),
    ablation: parseChoice('ablation', o.ablation, ABLATION_KINDS, DEFAULT_SETTINGS.ablation),
    output: parseChoice('output', o.output, OUTPUT_KINDS, DEFAULT_SETTINGS.output),
    scores: scoresFor(ws, o.scores),
    layers: parseList(o.layers),
    examples: parseExamples(o.examples, ws.data.meta.count),
  };
  // Refused before the data check's forward pass, not after it.
  const outputs = (trainMasks + valMasks) * settings.examples.length;
  if (outputs > LIMITS.outputsPerRun) {
    throw new CoarError(`${trainMasks + valMasks} masks × ${settings.examples.length} examples = ${outputs.toLocaleString('en-US')} outputs, over the limit of ${LIMITS.outputsPerRun.toLocaleString('en-US')} per run (docs/LIMITS.md): use fewer masks or examples.`, 'usage');
  }
  const dataReport = await reportData(ws, settings.scores);
  const route = o.route === undefined ? undefined : parseChoice('route', o.route, ['per-sample', 'shared'] as const, 'shared');
  const session = sessionFor(ws.model, ws.components, ws.data, settings);
  let run: RunData;
  if (existsSync(out)) {
    run = await readRunFile(out);
    checkRunMatches(run, { modelFingerprint: ws.modelInfo.fingerprint, dataFingerprint: ws.dataInfo.fingerprint, componentCount: ws.components.count, layers: ws.components.layers, modelName: o.model, dataName: ws.dataInfo.name });
    const diff = settingsDifference(run.settings, settings);
    if (diff.length) throw new CoarError(`${printable(out)} already holds a run with other settings (${printable(diff.join('; '))}). Use another --out, or delete the file to start over.`, 'run-mismatch');
    // Two tasks given one file (a fixed --out under --shard auto) would overwrite each other's work.
    if (shard && run.shard && (run.shard.index !== shard.index || run.shard.count !== shard.count)) {
      throw new CoarError(`${printable(out)} holds shard ${run.shard.index + 1}/${run.shard.count}, but this is shard ${shard.index + 1}/${shard.count}: give each shard its own --out (e.g. --out run-{shard}-of-{count}.coar).`, 'run-mismatch');
    }
    const p = runProgress(run);
    process.stderr.write(`resuming ${printable(out)}: ${p.trainDone}/${p.trainTotal} training and ${p.validationDone}/${p.validationTotal} validation masks already done\n`);
  } else {
    run = await startRun({ session, components: ws.components, settings, model: ws.modelInfo, data: ws.dataInfo, labels: Int32Array.from(settings.examples, (i) => ws.data.labels[i]), shard });
  }

  // Ctrl-C (or a scheduler's SIGTERM) stops after the chunk in flight; the run is saved below.
  // Every finished chunk is also written at once, so even a launcher that kills the process
  // outright (tsx does when a wasm batch keeps it from answering) loses only the chunk in flight.
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) process.exit(130);
    process.stderr.write(`\n${signal}: stopping after the current chunk and saving ${printable(out)}…\n`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const result = await sampleRun(run, session, {
    shard,
    route,
    signal: abort.signal,
    onProgress: (p: SampleProgress) => process.stderr.write(
      `\r${p.block.padEnd(10)} ${p.done}/${p.total} masks · ${Math.round(p.pairsPerSecond).toLocaleString('en-US')} pairs/s · ETA ${formatDuration(p.etaSeconds)}   `),
    onChunk: (r) => writeRunFile(out, r),
  });
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  process.stderr.write('\n');
  const progress = runProgress(run);
  const complete = progress.trainDone === progress.trainTotal && progress.validationDone === progress.validationTotal;
  const fit = complete && !result.cancelled ? await fitRun(run) : undefined;
  await writeRunFile(out, run);
  disposeSession(session);
  if (result.cancelled) {
    process.stderr.write(`interrupted: progress saved in ${printable(out)}; run the same command again to resume\n`);
    process.exitCode = 130;
  } else if (!complete) {
    process.stderr.write(`shard done; merge the shards with: npm run coar -- merge SHARDS... --out RUN\n`);
  }
  process.stdout.write(JSON.stringify({
    out,
    ...(shard ? { shard: `${shard.index + 1}/${shard.count}` } : {}),
    examples: settings.examples.length,
    components: ws.components.count,
    ...dataReportJson(dataReport),
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
