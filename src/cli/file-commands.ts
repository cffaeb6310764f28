/** `coar export` and `coar merge`: work on run files alone. */
import { writeFile } from 'node:fs/promises';
import { componentNames } from '../coar/components';
import { CoarError } from '../coar/errors';
import { attributionsCsv, encodeNpy } from '../coar/export';
import { runProgress } from '../coar/runfile';
import { mergeRuns } from '../coar/run-merge';
import { fitRun } from '../coar/run';
import { parseChoice } from './args';
import { readRunFile, writeRunFile } from './context';
import type { CliOptions } from './main';

export async function exportCommand(files: string[], o: CliOptions): Promise<void> {
  if (files.length !== 1) throw new CoarError('export takes one run file: npm run coar -- export RUN --format npy|csv --out FILE', 'usage');
  if (!o.out) throw new CoarError('--out is required: the file to write.', 'usage');
  const format = parseChoice('format', o.format, ['npy', 'csv'] as const, 'npy');
  const run = await readRunFile(files[0]);
  if (!run.fit) throw new CoarError(`${files[0]} has no fitted attributions yet: finish the run (or merge its shards) first.`, 'not-fitted');
  const n = run.labels.length;
  if (format === 'npy') await writeFile(o.out, encodeNpy(run.fit.weights, [n, run.componentCount]));
  else await writeFile(o.out, attributionsCsv(run, componentNames(run)));
  process.stdout.write(JSON.stringify({ out: o.out, format, examples: n, components: run.componentCount }) + '\n');
}

export async function mergeCommand(files: string[], o: CliOptions): Promise<void> {
  if (files.length < 2) throw new CoarError('merge takes two or more run files (shards of one run).', 'usage');
  if (!o.out) throw new CoarError('--out is required: the merged run file.', 'usage');
  let merged = await readRunFile(files[0]);
  for (const f of files.slice(1)) merged = mergeRuns(merged, await readRunFile(f));
  const p = runProgress(merged);
  const complete = p.trainDone === p.trainTotal && p.validationDone === p.validationTotal;
  const fit = complete ? await fitRun(merged) : undefined;
  await writeRunFile(o.out, merged);
  process.stdout.write(JSON.stringify({ out: o.out, ...p, fitted: Boolean(fit), validationCorrelation: fit?.validationCorrelation }) + '\n');
}
