/** Loads what a CLI command works on: the model, its components and the data set. */
import type * as tf from '@tensorflow/tfjs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { discoverComponents, type ComponentIndex } from '../coar/components';
import type { ImageDataset } from '../coar/dataset';
import { datasetFingerprint, modelFingerprint } from '../coar/fingerprint';
import { decodeRunFile, encodeRunFile, type RunData } from '../coar/runfile';
import { CoarError } from '../coar/errors';
import { loadModel } from '../node/files';
import { loadDatasetDir } from '../node/dataset-files';

export interface Workspace {
  model: tf.LayersModel;
  components: ComponentIndex;
  data: ImageDataset;
  modelInfo: RunData['model'];
  dataInfo: RunData['data'];
}

export async function openWorkspace(modelPath: string, dataPath: string, layers: string[]): Promise<Workspace> {
  const model = await loadModel(modelPath);
  const components = discoverComponents(model, { layers });
  const data = await loadDatasetDir(dataPath);
  return {
    model,
    components,
    data,
    // The names are the paths given, so later commands (eval) can find the same files again.
    modelInfo: { name: modelPath, fingerprint: await modelFingerprint(model) },
    dataInfo: { name: dataPath, fingerprint: datasetFingerprint(data) },
  };
}

export async function readRunFile(path: string): Promise<RunData> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CoarError(`Cannot read run file ${path}: ${(e as Error).message}`, 'missing-run');
  }
  return decodeRunFile(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
}

/** Writes via a temporary file and a rename, so an interrupted write never corrupts a run. */
export async function writeRunFile(path: string, run: RunData): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, encodeRunFile(run));
  await rename(tmp, path);
}
