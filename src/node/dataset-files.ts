/** Reads a bundled "coar-images-v1" data set folder from disk. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDataset, parseDatasetMeta, type ImageDataset } from '../coar/dataset';
import { CoarError } from '../coar/errors';
import { printable } from '../coar/printable';

export async function loadDatasetDir(dir: string): Promise<ImageDataset> {
  const metaPath = join(dir, 'dataset.json');
  let text: string;
  try {
    text = await readFile(metaPath, 'utf8');
  } catch {
    throw new CoarError(`No data set at ${printable(dir)}: ${printable(metaPath)} is missing.`, 'missing-data');
  }
  const meta = parseDatasetMeta(text, metaPath);
  const pixels = new Uint8Array(await readFile(join(dir, meta.images)));
  const labels = new Uint8Array(await readFile(join(dir, meta.labels)));
  return makeDataset(meta, pixels, labels);
}
