/** Reads a folder of PNG/JPEG images from disk into a data set (decoding and the rest in the engine, as in the app). */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Normalization } from '../coar/dataset';
import { CoarError } from '../coar/errors';
import { printable } from '../coar/printable';
import { LIMITS } from '../coar/limits';
import { decodeImage } from '../coar/image-decode';
import { buildImageDataset, fitImageSize, isHiddenPath, isImagePath, parseClassNames, type DecodedImage, type ImageImportReport, type LabelSource } from '../coar/image-import';

export interface ImageFolderOptions {
  /** Where labels come from; default 'csv' when csvPath is given, else 'folder'. */
  labels?: 'folder' | 'prefix' | 'csv';
  /** Prefix labels: the text that ends the label in a file name (default "_"). */
  separator?: string;
  /** A "file,label" CSV. */
  csvPath?: string;
  normalize: Normalization;
  /** One class name per line, in the model's output order. */
  classNamesPath?: string;
  target: { height: number; width: number; channels: number };
}

/** A folder in the bundled "coar-images-v1" format. */
export function isBundledDatasetDir(dir: string): boolean {
  return existsSync(join(dir, 'dataset.json'));
}

/** Files under dir, relative with "/" separators, sorted; hidden files and folders (isHiddenPath) are skipped. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (isHiddenPath(rel)) continue;
    if (e.isDirectory()) out.push(...await listFiles(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CoarError(`Cannot read the ${what} ${printable(path)}: ${printable((e as Error).message)}`, 'missing-data');
  }
}

export async function loadImageFolder(dir: string, options: ImageFolderOptions): Promise<ImageImportReport> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new CoarError(`No image folder at ${printable(dir)}.`, 'missing-data');
  const files = await listFiles(dir);
  const imagePaths = files.filter(isImagePath);
  if (imagePaths.length === 0) {
    const other = files.length ? ` (${files.length} other file${files.length === 1 ? '' : 's'} skipped, e.g. ${printable(files[0])})` : '';
    throw new CoarError(`No images (.png, .jpg, .jpeg) in ${printable(dir)}${other}.`, 'empty-data');
  }
  if (imagePaths.length > LIMITS.imagesPerDataset) {
    throw new CoarError(`${printable(dir)} holds ${imagePaths.length.toLocaleString('en-US')} images, over the limit of ${LIMITS.imagesPerDataset.toLocaleString('en-US')} per data set (docs/LIMITS.md): use a subfolder.`, 'too-large');
  }
  const kind = options.labels ?? (options.csvPath ? 'csv' : 'folder');
  let labels: LabelSource;
  if (kind === 'csv') {
    if (!options.csvPath) throw new CoarError('CSV labels need the path of a "file,label" CSV file.', 'usage');
    labels = { kind: 'csv', text: await readText(options.csvPath, 'label CSV') };
  } else {
    labels = kind === 'prefix' ? { kind, separator: options.separator ?? '_' } : { kind: 'folder' };
  }
  const classNames = options.classNamesPath ? parseClassNames(await readText(options.classNamesPath, 'class-names file')) : undefined;
  // Each image is shrunk to the model's size as soon as it is decoded, so a folder of large
  // photos never sits in memory at full size; the data set comes out the same.
  const { height, width } = options.target;
  const images: DecodedImage[] = [];
  for (const rel of imagePaths) {
    const image = decodeImage(rel, await readFile(join(dir, rel)));
    images.push(Number.isInteger(height) && height > 0 && Number.isInteger(width) && width > 0 ? fitImageSize(image, height, width) : image);
  }
  const report = buildImageDataset(images, { name: basename(dir.replace(/[\\/]+$/, '')) || dir, target: options.target, labels, normalize: options.normalize, classNames });
  report.dataset.meta.source = `Images in ${dir}`;
  return report;
}
