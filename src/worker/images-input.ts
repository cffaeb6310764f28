/**
 * Images from the user, turned into a data set at the model's input size: PNG/JPEG files
 * (decoded by the browser, converted by the engine so the CLI gets the same pixels), a data set
 * in the bundled format picked as files, or the URL of one.
 */
import { makeDataset, parseDatasetMeta, type ImageDataset } from '../coar/dataset';
import { CoarError } from '../coar/errors';
import { buildImageDataset, fitImageSize, isImagePath, type DecodedImage, type ImageImportReport } from '../coar/image-import';
import { fetchBytes, fetchText } from './fetch-files';
import type { ImagesInput } from './protocol';

export interface ReadImages {
  data: ImageDataset;
  report: Omit<ImageImportReport, 'dataset'> | null;
  skipped: string[];
  format: string;
}

export async function fetchDataset(url: string): Promise<ImageDataset> {
  const meta = parseDatasetMeta(await fetchText(url, 'the data set description (dataset.json)'), url);
  const [pixels, labels] = await Promise.all([
    fetchBytes(new URL(meta.images, url).href, `the data set's images (${meta.images})`),
    fetchBytes(new URL(meta.labels, url).href, `the data set's labels (${meta.labels})`),
  ]);
  return makeDataset(meta, new Uint8Array(pixels), new Uint8Array(labels));
}

/** Decodes one PNG/JPEG to RGBA at its own size, with no colour management (the pixels as stored). */
async function decode(path: string, file: File): Promise<DecodedImage> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new CoarError(`The image "${path}" could not be decoded: the file is damaged or not really a PNG/JPEG.`, 'malformed-image');
  }
  try {
    const { width, height } = bitmap;
    if (width === 0 || height === 0) throw new CoarError(`The image "${path}" is empty (${width}×${height}).`, 'malformed-image');
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new CoarError('This browser cannot read image pixels in a worker (no OffscreenCanvas 2D).', 'unsupported-browser');
    context.drawImage(bitmap, 0, 0);
    const rgba = new Uint8Array(context.getImageData(0, 0, width, height).data.buffer);
    return { path, width, height, rgba };
  } finally {
    bitmap.close();
  }
}

async function readBundledFiles(files: { path: string; file: File }[], metaFile: File): Promise<ImageDataset> {
  const meta = parseDatasetMeta(await metaFile.text(), metaFile.name);
  const find = (name: string, what: string) => {
    const hit = files.find((f) => f.file.name === name.split('/').pop());
    if (!hit) throw new CoarError(`dataset.json names ${what} "${name}", which is not among the picked files: pick dataset.json with ${meta.images} and ${meta.labels}.`, 'missing-data');
    return hit.file;
  };
  const [pixels, labels] = await Promise.all([find(meta.images, 'the images file').arrayBuffer(), find(meta.labels, 'the labels file').arrayBuffer()]);
  return makeDataset(meta, new Uint8Array(pixels), new Uint8Array(labels));
}

export async function readImagesInput(input: ImagesInput, target: { height: number; width: number; channels: number }, onProgress?: (done: number, total: number) => void): Promise<ReadImages> {
  if (input.kind === 'url') {
    let url: string;
    try {
      url = new URL(input.url).href;
    } catch {
      throw new CoarError(`"${input.url}" is not a web address: give the full URL of a dataset.json.`, 'bad-url');
    }
    return { data: await fetchDataset(url), report: null, skipped: [], format: 'the bundled format, from a URL' };
  }
  const metaFile = input.files.find((f) => f.file.name === 'dataset.json');
  if (metaFile) return { data: await readBundledFiles(input.files, metaFile.file), report: null, skipped: [], format: 'the bundled format' };
  const images = input.files.filter((f) => isImagePath(f.path));
  const skipped = input.files.filter((f) => !isImagePath(f.path)).map((f) => f.path);
  if (images.length === 0) {
    throw new CoarError(`None of the ${input.files.length} picked files is a PNG or JPEG image${skipped.length ? ` (skipped: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''})` : ''}.`, 'empty-data');
  }
  // Each image is shrunk to the model's size as soon as it is decoded, so full-size photos are never all held at once.
  const decoded: DecodedImage[] = [];
  let resized = 0;
  for (const [k, { path, file }] of images.entries()) {
    const image = await decode(path, file);
    if (image.height !== target.height || image.width !== target.width) resized++;
    decoded.push(fitImageSize(image, target.height, target.width));
    if (k % 50 === 49) onProgress?.(k + 1, images.length);
  }
  const { dataset, ...report } = buildImageDataset(decoded, {
    name: input.name, target, labels: input.labels, normalize: input.normalize,
    ...(input.classNames && input.classNames.length ? { classNames: input.classNames } : {}),
  });
  return { data: dataset, report: { ...report, resized }, skipped, format: `${images.length} PNG/JPEG files` };
}
