/**
 * Labelled image sets in the bundled binary format ("coar-images-v1"):
 *   dataset.json  { format, count, height, width, channels, classNames, normalize, images, labels }
 *   images        count × height × width × channels bytes (uint8, row-major, channels last)
 *   labels        count bytes (uint8 class indices)
 * Pixels become model inputs by the `normalize` rule, so the file says how the model expects them.
 */
import * as tf from '@tensorflow/tfjs';
import { check } from './errors';
import { printable } from './printable';
import { parseJsonWithinLimits } from './safe-json';
import { checkRelativePath } from './safe-paths';

export type Normalization = { kind: '0-1' } | { kind: '-1-1' } | { kind: 'mean-std'; mean: number[]; std: number[] };

export interface DatasetMeta {
  format: 'coar-images-v1';
  name: string;
  count: number;
  height: number;
  width: number;
  channels: number;
  classNames: string[];
  normalize: Normalization;
  images: string;
  labels: string;
  source?: string;
  /** Named example ranges [start, end) — e.g. clean and triggered halves of the backdoor data. */
  subsets?: Record<string, [number, number]>;
  /**
   * What the examples of a subset carry, for people (the page marks them): a description and,
   * optionally, the pixel region it occupies. Descriptive only: not part of the data's fingerprint.
   */
  subsetInfo?: Record<string, SubsetInfo>;
}

export interface SubsetInfo {
  description: string;
  /** Rows top..top+height−1, columns left..left+width−1 of every image of the subset. */
  region?: { top: number; left: number; height: number; width: number };
}

/** Longest subset description kept (characters). */
const MAX_SUBSET_DESCRIPTION = 400;

export interface ImageDataset {
  meta: DatasetMeta;
  pixels: Uint8Array;
  labels: Uint8Array;
}

export function parseDatasetMeta(text: string, source = 'dataset.json'): DatasetMeta {
  source = printable(source);
  const meta = parseJsonWithinLimits(text, source, 'malformed-data') as DatasetMeta;
  check(meta?.format === 'coar-images-v1', `${source}: expected format "coar-images-v1", found ${JSON.stringify(meta?.format)}.`, 'malformed-data');
  for (const key of ['count', 'height', 'width', 'channels'] as const) {
    check(Number.isInteger(meta[key]) && meta[key] >= 0, `${source}: "${key}" must be a non-negative integer.`, 'malformed-data');
  }
  check(Array.isArray(meta.classNames) && meta.classNames.length >= 2, `${source}: "classNames" must list at least two classes.`, 'malformed-data');
  checkRelativePath(meta.images, `The images file named in ${source}`);
  checkRelativePath(meta.labels, `The labels file named in ${source}`);
  return meta;
}

export function makeDataset(meta: DatasetMeta, pixels: Uint8Array, labels: Uint8Array): ImageDataset {
  const perImage = meta.height * meta.width * meta.channels;
  check(meta.count > 0, `Data set "${meta.name}" has zero examples.`, 'empty-data');
  check(pixels.length === meta.count * perImage,
    `Data set "${meta.name}": the images file holds ${pixels.length} bytes, expected ${meta.count} × ${meta.height}×${meta.width}×${meta.channels} = ${meta.count * perImage}.`, 'malformed-data');
  check(labels.length === meta.count, `Data set "${meta.name}": ${labels.length} labels for ${meta.count} images.`, 'malformed-data');
  const bad = labels.findIndex((l) => l >= meta.classNames.length);
  check(bad < 0, `Data set "${meta.name}": label ${labels[bad]} of example ${bad} is out of range (there are ${meta.classNames.length} classes, 0–${meta.classNames.length - 1}).`, 'label-range');
  for (const [name, range] of Object.entries(meta.subsets ?? {})) {
    const ok = Array.isArray(range) && range.length === 2 && Number.isInteger(range[0]) && Number.isInteger(range[1]) && range[0] >= 0 && range[0] < range[1] && range[1] <= meta.count;
    check(ok, `Data set "${meta.name}": subset "${name}" must be [start, end) within 0–${meta.count} (got ${JSON.stringify(range)}).`, 'malformed-data');
  }
  for (const [name, info] of Object.entries(meta.subsetInfo ?? {})) {
    const where = `Data set "${meta.name}": subsetInfo "${name}"`;
    check(Object.hasOwn(meta.subsets ?? {}, name), `${where} describes a subset the data set does not name in "subsets".`, 'malformed-data');
    check(typeof info?.description === 'string' && info.description.length > 0 && info.description.length <= MAX_SUBSET_DESCRIPTION,
      `${where}: "description" must be text of 1 to ${MAX_SUBSET_DESCRIPTION} characters.`, 'malformed-data');
    const r = info.region;
    if (r !== undefined) {
      const whole = (x: unknown) => Number.isInteger(x) && (x as number) >= 0;
      check(whole(r?.top) && whole(r?.left) && whole(r?.height) && whole(r?.width) && r.height > 0 && r.width > 0
        && r.top + r.height <= meta.height && r.left + r.width <= meta.width,
      `${where}: "region" must be {top, left, height, width} inside the ${meta.height}×${meta.width} image (got ${JSON.stringify(r)}).`, 'malformed-data');
    }
  }
  return { meta, pixels, labels };
}

/** Checks that the data fits the model: input shape and number of classes. */
export function checkDatasetFitsModel(data: ImageDataset, model: tf.LayersModel): void {
  const inShape = model.inputs[0].shape; // [null, H, W, C]
  const want = inShape.slice(1);
  const have = [data.meta.height, data.meta.width, data.meta.channels];
  check(want.length === 3 && want.every((d, i) => d === null || d === have[i]),
    `The images are ${have.join('×')} but the model expects input ${want.map((d) => d ?? '?').join('×')}.`, 'shape-mismatch');
  const outShape = model.outputs[0].shape;
  const classes = outShape[outShape.length - 1];
  check(classes === data.meta.classNames.length,
    `The model outputs ${classes} classes but the data set names ${data.meta.classNames.length}.`, 'class-mismatch');
}

/** Model-ready float input for the given examples, shape [k, H, W, C]. */
export function inputTensor(data: ImageDataset, indices: ArrayLike<number>): tf.Tensor4D {
  const { height, width, channels, normalize } = data.meta;
  const per = height * width * channels;
  const out = new Float32Array(indices.length * per);
  for (let k = 0; k < indices.length; k++) {
    const src = indices[k] * per;
    for (let j = 0; j < per; j++) out[k * per + j] = normalizePixel(data.pixels[src + j], j % channels, normalize);
  }
  return tf.tensor4d(out, [indices.length, height, width, channels]);
}

function normalizePixel(v: number, channel: number, n: Normalization): number {
  switch (n.kind) {
    case '0-1': return v / 255;
    case '-1-1': return v / 127.5 - 1;
    case 'mean-std': return (v / 255 - n.mean[channel]) / n.std[channel];
  }
}

export function labelsOf(data: ImageDataset, indices: ArrayLike<number>): Int32Array {
  return Int32Array.from(indices as ArrayLike<number>, (i) => data.labels[i]);
}
