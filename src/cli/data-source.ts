/**
 * What --data names: a bundled data set folder (dataset.json), or a folder of images imported
 * with --labels/--normalize/--mean/--std/--class-names at the model's input size.
 *
 * Runs record an image folder as "DIR?labels=…&normalize=…" (the import flags, URL-encoded).
 * `coar eval RUN` and `coar edit RUN` never open what a run file names on their own: they need
 * --model and --data (runLocations). Given the recorded folder, the recorded flags are reused
 * except file paths (csv:FILE, class-names), which must be given again; flags given override the
 * recorded ones (a --normalize other than mean-std drops the recorded mean/std), and the data
 * fingerprint still refuses data that came out different.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../coar/dataset';
import { CoarError } from '../coar/errors';
import { printable } from '../coar/printable';
import type { RunData } from '../coar/runfile';
import { parseNormalization, type ImageImportReport } from '../coar/image-import';
import { imageInputOf } from '../coar/model-summary';
import { loadDatasetDir } from '../node/dataset-files';
import { isBundledDatasetDir, loadImageFolder, type ImageFolderOptions } from '../node/image-files';
import type { CliOptions } from './options';

export interface DataFlags { labels?: string; normalize?: string; mean?: string; std?: string; 'class-names'?: string }

const FLAG_NAMES = ['labels', 'normalize', 'mean', 'std', 'class-names'] as const;

export function dataFlagsOf(o: CliOptions): DataFlags {
  return { labels: o.labels, normalize: o.normalize, mean: o.mean, std: o.std, 'class-names': o['class-names'] };
}

export interface OpenedData {
  data: ImageDataset;
  /** What a run records: the folder, plus the import flags for an image folder. */
  name: string;
  /** For an image folder: what the import did. */
  report?: ImageImportReport;
}

const isDirectory = (path: string) => stat(path).then((s) => s.isDirectory(), () => false);

function definedFlags(flags: DataFlags): DataFlags {
  return Object.fromEntries(FLAG_NAMES.filter((k) => flags[k] !== undefined).map((k) => [k, flags[k]]));
}

/** "folder" | "prefix" | "prefix:SEP" | "csv:FILE" → loader options. */
function parseLabelsFlag(value: string): Pick<ImageFolderOptions, 'labels' | 'separator' | 'csvPath'> {
  if (value === 'folder') return { labels: 'folder' };
  if (value === 'prefix') return { labels: 'prefix', separator: '_' };
  if (value.startsWith('prefix:') && value.length > 7) return { labels: 'prefix', separator: value.slice(7) };
  if (value.startsWith('csv:') && value.length > 4) return { labels: 'csv', csvPath: value.slice(4) };
  throw new CoarError(`--labels must be folder, prefix, prefix:SEPARATOR or csv:FILE (got "${printable(value)}").`, 'usage');
}

export async function openData(dataArg: string, flags: DataFlags, model: tf.LayersModel): Promise<OpenedData> {
  const given = definedFlags(flags);
  if (isBundledDatasetDir(dataArg)) {
    const names = Object.keys(given).map((k) => `--${k}`);
    if (names.length) throw new CoarError(`${names.join(', ')} ${names.length === 1 ? 'applies' : 'apply'} only to a folder of images; ${printable(dataArg)} is a bundled data set (dataset.json), which fixes its own labels and normalization.`, 'usage');
    return { data: await loadDatasetDir(dataArg), name: dataArg };
  }
  let dir = dataArg;
  let recorded: DataFlags = {};
  if (!(await isDirectory(dataArg))) {
    const q = dataArg.lastIndexOf('?');
    if (q <= 0 || !(await isDirectory(dataArg.slice(0, q)))) {
      throw new CoarError(`No data set at ${printable(dataArg)}: expected a folder with dataset.json or a folder of images.`, 'missing-data');
    }
    dir = dataArg.slice(0, q);
    const params = new URLSearchParams(dataArg.slice(q + 1));
    recorded = definedFlags(Object.fromEntries(FLAG_NAMES.map((k) => [k, params.get(k) ?? undefined])));
  }
  const options: DataFlags = { labels: 'folder', normalize: '0-1', ...recorded, ...given };
  // Recorded mean/std values belong to the recorded mean-std normalization: another --normalize
  // (0-1 or -1-1) replaces them too, unless --mean/--std are given with it.
  if (given.normalize !== undefined && given.normalize.trim() !== 'mean-std') {
    if (given.mean === undefined) delete options.mean;
    if (given.std === undefined) delete options.std;
  }
  const report = await loadImageFolder(dir, {
    ...parseLabelsFlag(options.labels!),
    normalize: parseNormalization(options.normalize!, options.mean, options.std),
    classNamesPath: options['class-names'],
    target: imageInputOf(model),
  });
  const spec = new URLSearchParams(Object.entries(definedFlags(options)) as [string, string][]);
  return { data: report.dataset, name: `${dir}?${spec}`, report };
}

/** A value as it may be typed in a shell (printed safely). */
function shellWord(value: string): string {
  const text = printable(value);
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Recorded import flags that name files: never opened unless given again. */
const fileFlag = (key: keyof DataFlags, value: string) => key === 'class-names' || (key === 'labels' && value.startsWith('csv:'));

/**
 * The model and data `eval`/`edit` open for `run`: what the user passed with --model/--data, never
 * the locations written in the run file. Without them, the refusal prints the recorded locations
 * (safely) and the flags to pass. With --data equal to the recorded folder, the recorded import
 * flags are reused, except those naming files (csv:FILE, class-names), which must be given again.
 */
export function runLocations(command: string, runPath: string, run: RunData, o: CliOptions): { model: string; data: string } {
  const q = run.data.name.lastIndexOf('?');
  const recordedDir = q > 0 ? run.data.name.slice(0, q) : run.data.name;
  const recorded = q > 0 ? new URLSearchParams(run.data.name.slice(q + 1)) : new URLSearchParams();
  const recordedFlags = [...recorded].filter(([k]) => (FLAG_NAMES as readonly string[]).includes(k)) as [keyof DataFlags, string][];
  if (!o.model || !o.data) {
    const flags = recordedFlags.map(([k, v]) => `--${k}=${shellWord(v)}`).join(' ');
    throw new CoarError(`${command} needs --model and --data: the locations written in a run file are never opened on their own. `
      + `This run records model ${shellWord(run.model.name)} and data ${shellWord(run.data.name)}. If those are the files you mean, pass them:\n`
      + `  npm run coar -- ${command} ${shellWord(runPath)} --model ${shellWord(run.model.name)} --data ${shellWord(recordedDir)}${flags ? ` ${flags}` : ''} …`, 'usage');
  }
  const sameFolder = !/[?]/.test(o.data) && resolve(o.data) === resolve(recordedDir);
  if (!sameFolder || recordedFlags.length === 0) return { model: o.model, data: o.data };
  const given = definedFlags(dataFlagsOf(o));
  const reused = new URLSearchParams();
  for (const [k, v] of recordedFlags) {
    if (given[k] !== undefined) continue;
    if (fileFlag(k, v)) {
      throw new CoarError(`The run's data was imported with --${k}=${shellWord(v)}, which names a file: a file named in a run file is not opened unless you pass it again (--${k}=${shellWord(v)}).`, 'usage');
    }
    reused.set(k, v);
  }
  return { model: o.model, data: [...reused].length ? `${o.data}?${reused}` : o.data };
}
