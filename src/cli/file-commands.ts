/** `coar export` and `coar merge`: work on run files alone. */
import { open, realpath, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { componentNames } from '../coar/components';
import { CoarError } from '../coar/errors';
import { printable } from '../coar/printable';
import { attributionsCsv, encodeNpy } from '../coar/export';
import { runProgress } from '../coar/runfile';
import { mergeRuns } from '../coar/run-merge';
import { fitRun } from '../coar/run';
import { parseChoice } from './args';
import { checkOutputFolder, readRunFile, writeRunFile } from './context';
import type { CliOptions } from './options';

export async function exportCommand(files: string[], o: CliOptions): Promise<void> {
  if (files.length !== 1) throw new CoarError('export takes one run file: npm run coar -- export RUN --format npy|csv --out FILE', 'usage');
  if (!o.out) throw new CoarError('--out is required: the file to write.', 'usage');
  await checkOutputFolder(o.out);
  const format = parseChoice('format', o.format, ['npy', 'csv'] as const, 'npy');
  await checkExportTarget(files[0], o.out, format, o.format !== undefined);
  const run = await readRunFile(files[0]);
  if (!run.fit) throw new CoarError(`${printable(files[0])} has no fitted attributions yet: finish the run (or merge its shards) first.`, 'not-fitted');
  const n = run.labels.length;
  if (format === 'npy') await writeFile(o.out, encodeNpy(run.fit.weights, [n, run.componentCount]));
  else await writeFile(o.out, attributionsCsv(run, componentNames(run)));
  process.stdout.write(JSON.stringify({ out: o.out, format, examples: n, components: run.componentCount }) + '\n');
}

/** An export never replaces its run file or any other run, nor writes a format its extension contradicts. */
async function checkExportTarget(runPath: string, out: string, format: 'npy' | 'csv', formatGiven: boolean): Promise<void> {
  const ext = extname(out).toLowerCase();
  if (ext === '.coar') throw new CoarError(`--out ${printable(out)} ends in .coar, the run file extension: export writes .${format} attributions, not a run. Choose a .${format} file.`, 'usage');
  if ((ext === '.npy' || ext === '.csv') && ext !== `.${format}`) {
    throw new CoarError(`--out ${printable(out)} ends in ${ext} but the format is ${format}${formatGiven ? '' : ' (the default)'}: pass --format ${ext.slice(1)} or choose a .${format} file.`, 'usage');
  }
  const real = (p: string) => realpath(p).catch(() => resolve(p));
  if (await real(out) === await real(runPath)) throw new CoarError(`--out ${printable(out)} is the run file being exported: it would be replaced. Choose another file.`, 'usage');
  const head = await open(out, 'r').then(async (f) => {
    try {
      const { buffer, bytesRead } = await f.read(Buffer.alloc(8), 0, 8, 0);
      return buffer.subarray(0, bytesRead).toString('latin1');
    } finally {
      await f.close();
    }
  }, () => '');
  if (head === 'COARRUN\0') throw new CoarError(`--out ${printable(out)} is an existing COAR run file: export does not replace runs. Choose another file.`, 'usage');
}

export async function mergeCommand(files: string[], o: CliOptions): Promise<void> {
  if (files.length < 2) throw new CoarError('merge takes two or more run files (shards of one run).', 'usage');
  if (!o.out) throw new CoarError('--out is required: the merged run file.', 'usage');
  await checkOutputFolder(o.out);
  let merged = await readRunFile(files[0]);
  for (const f of files.slice(1)) merged = mergeRuns(merged, await readRunFile(f));
  const p = runProgress(merged);
  const complete = p.trainDone === p.trainTotal && p.validationDone === p.validationTotal;
  const fit = complete ? await fitRun(merged) : undefined;
  await writeRunFile(o.out, merged);
  process.stdout.write(JSON.stringify({ out: o.out, ...p, fitted: Boolean(fit), validationCorrelation: fit?.validationCorrelation }) + '\n');
}
