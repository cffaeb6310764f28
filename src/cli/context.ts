/** Loads what a CLI command works on: the model, its components and the data set. */
import type * as tf from '@tensorflow/tfjs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { discoverComponents, type ComponentIndex } from '../coar/components';
import type { ImageDataset } from '../coar/dataset';
import type { ImageImportReport } from '../coar/image-import';
import { datasetFingerprint, modelFingerprint } from '../coar/fingerprint';
import { decodeRunFile, encodeRunFile, type RunData } from '../coar/runfile';
import { CoarError } from '../coar/errors';
import { printable } from '../coar/printable';
import { loadModel } from '../node/files';
import { openData, type DataFlags } from './data-source';

export interface Workspace {
  model: tf.LayersModel;
  components: ComponentIndex;
  data: ImageDataset;
  modelInfo: RunData['model'];
  dataInfo: RunData['data'];
  /** For a folder of images: what the import did. */
  dataReport?: ImageImportReport;
}

/** `dataFlags` are the image-import flags (see data-source.ts); a bundled data set takes none. */
export async function openWorkspace(modelPath: string, dataPath: string, layers: string[], dataFlags: DataFlags = {}): Promise<Workspace> {
  const model = await loadModel(modelPath);
  const components = discoverComponents(model, { layers });
  const { data, name, report } = await openData(dataPath, dataFlags, model);
  return {
    model,
    components,
    data,
    // The names are the paths given (plus an image folder's import flags), so later commands
    // (eval, edit) can open the same files again.
    modelInfo: { name: modelPath, fingerprint: await modelFingerprint(model) },
    dataInfo: { name, fingerprint: datasetFingerprint(data) },
    ...(report ? { dataReport: report } : {}),
  };
}

export async function readRunFile(path: string): Promise<RunData> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CoarError(`Cannot read run file ${printable(path)}: ${printable((e as Error).message)}`, 'missing-run');
  }
  return decodeRunFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** Refuses, before any work, an output whose folder does not exist (rather than failing at the first write). */
export async function checkOutputFolder(path: string, flag = '--out'): Promise<void> {
  const folder = dirname(resolve(path));
  const isFolder = await stat(folder).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw new CoarError(`${flag} ${printable(path)}: the folder ${printable(folder)} does not exist; create it first (mkdir -p).`, 'usage');
}

/** Writes via a temporary file and a rename, so an interrupted write never corrupts a run. */
export async function writeRunFile(path: string, run: RunData): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, encodeRunFile(run));
  await rename(tmp, path);
}
