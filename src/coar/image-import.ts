/**
 * Bring-your-own images: decoded RGBA images + a label rule → a "coar-images-v1" data set shaped
 * for the model's input. Decoding is in image-decode.ts, the same pure-JS decoders in the worker
 * and in Node; everything after it is here, so both give the same data set for the same files.
 */
import { makeDataset, type ImageDataset, type Normalization } from './dataset';
import { CoarError, check } from './errors';
import { printable } from './printable';
import { isGrayRgba, resizePixels, rgbaToRgb, rgbToGray, rgbToRgba } from './image-pixels';
import { checkNormalization } from './normalization';
import { checkUniqueClassNames, labelOfPath, normalizeImagePath, parseLabelCsv, sortedClassNames, type LabelSource } from './image-labels';

export { parseNormalization } from './normalization';
export { IMAGE_EXTENSIONS, isHiddenPath, isImagePath, labelOfPath, parseClassNames, parseLabelCsv, type LabelSource } from './image-labels';

export interface DecodedImage {
  /** Path relative to the imported folder ("cat/001.png"). */
  path: string;
  width: number;
  height: number;
  /** width*height*4 RGBA bytes */
  rgba: Uint8Array;
  /** The size in the file, when the loader already shrank it (fitImageSize). */
  originalWidth?: number;
  originalHeight?: number;
}

/** One kind of change made to some images to fit the model's input, reported once per kind. */
export interface ImageConversion {
  kind: 'resize' | 'colour-to-gray' | 'gray-to-rgb';
  /** Images changed this way. */
  count: number;
  /** For a resize: the size in the files and the model's, e.g. "64×64" → "28×28", and the scale. */
  from?: string;
  to?: string;
  scale?: number;
}

export interface ImageImportOptions {
  /** Data set name. */
  name: string;
  /** The model's input (channels 1 or 3). */
  target: { height: number; width: number; channels: number };
  labels: LabelSource;
  normalize: Normalization;
  /** Given: label strings must be among them (or be integer indices into them); order = class index. */
  classNames?: string[];
}

export interface ImageImportReport {
  dataset: ImageDataset;
  /** Images whose size differed from the target. */
  resized: number;
  /** Images whose channel count differed from the target (gray → RGB or colour → gray). */
  convertedChannels: number;
  /** Images per class index. */
  perClass: number[];
  /** Every conversion made, one entry per kind (and per original size). */
  conversions: ImageConversion[];
  /** Each image's path as picked, in data-set order (example i came from paths[i]). */
  paths: string[];
}

/** A conversion in words, e.g. "20 images resized from 64×64 to 28×28 (×0.44)". */
export function describeConversion(c: ImageConversion): string {
  const images = `${c.count} image${c.count === 1 ? '' : 's'}`;
  switch (c.kind) {
    case 'resize': return `${images} resized from ${c.from} to ${c.to} (×${c.scale!.toFixed(2)})`;
    case 'colour-to-gray': return `${images} in colour turned grey (the model takes 1 channel)`;
    case 'gray-to-rgb': return `${images} in grey repeated into 3 channels (the model takes RGB)`;
  }
}

/** Most classes a data set can hold: labels are stored as uint8. */
const MAX_CLASSES = 256;

function checkTarget(target: ImageImportOptions['target']): asserts target is { height: number; width: number; channels: 1 | 3 } {
  check(target.channels === 1 || target.channels === 3,
    `The model expects ${target.channels} input channels; images can feed models with 1 (grayscale) or 3 (RGB) channels.`, 'unsupported-input');
  check(Number.isInteger(target.height) && target.height > 0 && Number.isInteger(target.width) && target.width > 0,
    `The model's input size ${target.height}×${target.width} is not a fixed positive size, so there is no size to resize the images to.`, 'unsupported-input');
}

function checkImage(image: DecodedImage): void {
  const { path, width, height, rgba } = image;
  check(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0, `Image "${path}" has size ${width}×${height}: it holds no pixels.`, 'malformed-image');
  check(rgba?.length === width * height * 4, `Image "${path}" is ${width}×${height} but holds ${rgba?.length} bytes, not ${width * height * 4} (RGBA).`, 'malformed-image');
}

const listClasses = (names: string[]) => (names.length <= 20 ? names.map(printable).join(', ') : `${names.slice(0, 20).map(printable).join(', ')}, … (${names.length} in all)`);

/** Label strings → class indices, against the given class names or the sorted unique labels. */
function classIndices(paths: string[], labels: string[], given: string[] | undefined): { classNames: string[]; indices: Uint8Array } {
  if (given) checkUniqueClassNames(given);
  const classNames = given ? [...given] : sortedClassNames(labels);
  check(classNames.length >= 2, `Only one class (${JSON.stringify(classNames[0])}) was found; a classifier's data set needs at least two.`, 'too-few-classes');
  check(classNames.length <= MAX_CLASSES, `${classNames.length} classes found; at most ${MAX_CLASSES} are supported.`, 'too-many-classes');
  const indexOf = new Map(classNames.map((n, i) => [n, i]));
  const indices = Uint8Array.from(labels, (label, k) => {
    const i = indexOf.get(label) ?? (/^\d+$/.test(label) && Number(label) < classNames.length ? Number(label) : undefined);
    if (i === undefined) throw new CoarError(`Image "${printable(paths[k])}" has label "${printable(label)}", which is not among the class names (${listClasses(classNames)}).`, 'label-unknown');
    return i;
  });
  return { classNames, indices };
}

/**
 * The image at the target size, as opaque RGBA. Building a data set from the result gives the
 * same bytes as building from the original (alpha is dropped, then RGB resized, then converted),
 * so loaders call this right after decoding and never hold full-size photos.
 */
export function fitImageSize(image: DecodedImage, height: number, width: number): DecodedImage {
  checkImage(image);
  if (image.height === height && image.width === width) return image;
  const rgb = resizePixels(rgbaToRgb(image.rgba), image.height, image.width, 3, height, width);
  return { path: image.path, height, width, rgba: rgbToRgba(rgb), originalHeight: image.originalHeight ?? image.height, originalWidth: image.originalWidth ?? image.width };
}

/** Labels, converts and resizes decoded images into a data set; throws CoarError naming the file at fault. */
export function buildImageDataset(images: DecodedImage[], options: ImageImportOptions): ImageImportReport {
  const { target, name } = options;
  checkTarget(target);
  check(images.length > 0, `Data set "${printable(name)}" has no images (looked for .png, .jpg and .jpeg files).`, 'empty-data');
  const normalize = checkNormalization(options.normalize, target.channels);
  const sorted = images.map((im) => ({ ...im, path: normalizeImagePath(im.path) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  sorted.forEach(checkImage);
  const csv = options.labels.kind === 'csv' ? parseLabelCsv(options.labels.text) : undefined;
  const paths = sorted.map((im) => im.path);
  const { classNames, indices } = classIndices(paths, paths.map((p) => labelOfPath(p, options.labels, csv)), options.classNames);

  const { height, width, channels } = target;
  const per = height * width * channels;
  const pixels = new Uint8Array(sorted.length * per);
  let convertedChannels = 0;
  let grayInRgb = 0;
  const sizes = new Map<string, { h: number; w: number; count: number }>();
  sorted.forEach((im, k) => {
    const gray = isGrayRgba(im.rgba);
    if ((gray ? 1 : 3) !== channels) convertedChannels++;
    if (gray && channels === 3) grayInRgb++;
    const h = im.originalHeight ?? im.height;
    const w = im.originalWidth ?? im.width;
    if (h !== height || w !== width) {
      const key = `${h}×${w}`;
      const entry = sizes.get(key) ?? { h, w, count: 0 };
      entry.count++;
      sizes.set(key, entry);
    }
    const rgb = resizePixels(rgbaToRgb(im.rgba), im.height, im.width, 3, height, width);
    pixels.set(channels === 3 ? rgb : rgbToGray(rgb), k * per);
  });
  const perClass = new Array<number>(classNames.length).fill(0);
  for (const i of indices) perClass[i]++;
  const dataset = makeDataset({
    format: 'coar-images-v1', name, count: sorted.length, height, width, channels, classNames, normalize,
    images: 'images.u8', labels: 'labels.u8',
  }, pixels, indices);
  const to = `${height}×${width}`;
  const conversions: ImageConversion[] = [...sizes].sort((a, b) => b[1].count - a[1].count)
    .map(([from, s]) => ({ kind: 'resize' as const, count: s.count, from, to, scale: Math.min(height / s.h, width / s.w) }));
  if (convertedChannels - grayInRgb > 0) conversions.push({ kind: 'colour-to-gray', count: convertedChannels - grayInRgb });
  if (grayInRgb > 0) conversions.push({ kind: 'gray-to-rgb', count: grayInRgb });
  const resized = [...sizes.values()].reduce((s, e) => s + e.count, 0);
  return { dataset, resized, convertedChannels, perClass, conversions, paths };
}
