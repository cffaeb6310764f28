/** Filesystem and URL access for the CLI, scripts and tests (Node only). */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromFiles, modelToFiles } from '../coar/model-io';
import { CoarError } from '../coar/errors';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

export async function readBytes(pathOrUrl: string): Promise<ArrayBuffer> {
  if (isUrl(pathOrUrl)) {
    const res = await fetch(pathOrUrl);
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${pathOrUrl}`);
    return res.arrayBuffer();
  }
  const buf = await readFile(pathOrUrl);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Loads a LayersModel from a model.json path or http(s) URL; weight paths resolve beside it. */
export async function loadModel(pathOrUrl: string, onUpgrade?: (changes: string[]) => void): Promise<tf.LayersModel> {
  let text: string;
  try {
    text = new TextDecoder().decode(await readBytes(pathOrUrl));
  } catch (e) {
    throw new CoarError(`Cannot read model file ${pathOrUrl}: ${(e as Error).message}`, 'missing-model');
  }
  const base = isUrl(pathOrUrl) ? new URL('.', pathOrUrl).href : dirname(resolve(pathOrUrl));
  const readWeight = (rel: string) => readBytes(isUrl(pathOrUrl) ? new URL(rel, base).href : join(base, rel));
  return loadLayersModelFromFiles(text, readWeight, pathOrUrl, onUpgrade);
}

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  const files = await modelToFiles(model);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), files.modelJson);
  await writeFile(join(dir, files.weightsFileName), new Uint8Array(files.weights));
}
