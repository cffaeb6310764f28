/** Reads a folder of PNG/JPEG images from disk into a data set (decoding here, the rest in the engine). */
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Normalization } from '../coar/dataset';
import { CoarError } from '../coar/errors';
import { buildImageDataset, fitImageSize, isImagePath, parseClassNames, type DecodedImage, type ImageImportReport, type LabelSource } from '../coar/image-import';

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

/** Files under dir, relative with "/" separators, sorted; dot-files and dot-folders are skipped. */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = (await readdir(join(dir, prefix), { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...await listFiles(dir, rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** Decodes by content, not by extension: a .jpg that is really a PNG still loads. */
export function decodeImageBytes(bytes: Buffer, path: string): DecodedImage {
  const kind = isPng(bytes) ? 'PNG' : isJpeg(bytes) ? 'JPEG' : undefined;
  if (!kind) throw new CoarError(`Image "${path}" is neither a PNG nor a JPEG file (its first bytes do not match either format).`, 'malformed-image');
  try {
    if (kind === 'PNG') {
      const png = PNG.sync.read(bytes);
      return { path, width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { path, width: img.width, height: img.height, rgba: img.data };
  } catch (e) {
    throw new CoarError(`Image "${path}" could not be decoded as ${kind}: ${(e as Error)?.message ?? e}. The file is corrupt or truncated.`, 'malformed-image');
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new CoarError(`Cannot read the ${what} ${path}: ${(e as Error).message}`, 'missing-data');
  }
}

export async function loadImageFolder(dir: string, options: ImageFolderOptions): Promise<ImageImportReport> {
  const isDir = await stat(dir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new CoarError(`No image folder at ${dir}.`, 'missing-data');
  const files = await listFiles(dir);
  const imagePaths = files.filter(isImagePath);
  if (imagePaths.length === 0) {
    const other = files.length ? ` (${files.length} other file${files.length === 1 ? '' : 's'} skipped, e.g. ${files[0]})` : '';
    throw new CoarError(`No images (.png, .jpg, .jpeg) in ${dir}${other}.`, 'empty-data');
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
  let resized = 0;
  for (const rel of imagePaths) {
    const image = decodeImageBytes(await readFile(join(dir, rel)), rel);
    if (image.height !== height || image.width !== width) resized++;
    images.push(Number.isInteger(height) && height > 0 && Number.isInteger(width) && width > 0 ? fitImageSize(image, height, width) : image);
  }
  const report = buildImageDataset(images, { name: basename(dir.replace(/[\\/]+$/, '')) || dir, target: options.target, labels, normalize: options.normalize, classNames });
  report.resized = resized;
  report.dataset.meta.source = `Images in ${dir}`;
  return report;
}
