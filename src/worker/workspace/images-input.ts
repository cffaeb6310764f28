/**
 * Images from the user, turned into a data set at the model's input size: PNG/JPEG files
 * (decoded and converted by the engine, with the same code as the CLI, so both get the same
 * pixels and the same data fingerprint), a data set in the bundled format picked as files, or the
 * URL of one.
 */
import { makeDataset, parseDatasetMeta, type ImageDataset } from '../../coar/dataset';
import { CoarError } from '../../coar/errors';
import { throwIfCancelled } from '../../coar/ablate';
import { buildImageDataset, fitImageSize, isHiddenPath, isImagePath, type DecodedImage, type ImageImportReport } from '../../coar/image-import';
import { LIMITS } from '../../coar/limits';
import { allowUserOrigin, fetchBytes, fetchText, fileBeside } from './fetch-files';
import { checkHttpUrl } from './url-rules';
import type { ImagesInput } from '../protocol/protocol';

export interface ReadImages {
  data: ImageDataset;
  report: Omit<ImageImportReport, 'dataset'> | null;
  skipped: string[];
  format: string;
}

export async function fetchDataset(url: string): Promise<ImageDataset> {
  const meta = parseDatasetMeta(await fetchText(url, 'the data set description (dataset.json)', LIMITS.jsonBytes), url);
  const perImage = meta.height * meta.width * meta.channels;
  // Both files are judged before either is requested: beside dataset.json, and no larger than it says.
  const images = fileBeside(meta.images, url, "the data set's images file");
  const labels = fileBeside(meta.labels, url, "the data set's labels file");
  const [pixels, labelBytes] = await Promise.all([
    fetchBytes(images, `the data set's images (${meta.images})`, Number.isFinite(perImage * meta.count) ? perImage * meta.count : Infinity),
    fetchBytes(labels, `the data set's labels (${meta.labels})`, Number.isFinite(meta.count) ? meta.count : Infinity),
  ]);
  return makeDataset(meta, new Uint8Array(pixels), new Uint8Array(labelBytes));
}

type ImageDecoder = typeof import('../../coar/image-decode');

let decoder: Promise<ImageDecoder> | undefined;

/** The decoders are a chunk of their own, loaded with the first picked image rather than with the worker. */
function loadDecoder(): Promise<ImageDecoder> {
  decoder ??= import('../../coar/image-decode').catch((e: unknown) => {
    decoder = undefined;
    throw new CoarError(`The PNG/JPEG decoder could not be loaded (${e instanceof Error ? e.message : String(e)}). Are you offline on a first visit? Reload the page and try again.`, 'missing-file');
  });
  return decoder;
}

/** Decodes one picked PNG/JPEG to RGBA at its own size: the pixels as stored, as the CLI reads them. */
async function decode(path: string, file: File, { decodeImage }: ImageDecoder): Promise<DecodedImage> {
  let bytes: ArrayBuffer;
  try {
    bytes = await file.arrayBuffer();
  } catch (e) {
    throw new CoarError(`The image "${path}" could not be read: ${e instanceof Error ? e.message : String(e)}.`, 'malformed-image');
  }
  return decodeImage(path, new Uint8Array(bytes));
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

export async function readImagesInput(input: ImagesInput, target: { height: number; width: number; channels: number }, onProgress?: (done: number, total: number) => void, signal?: AbortSignal): Promise<ReadImages> {
  if (input.kind === 'url') {
    // The user typed (or confirmed) this address: its site may be asked, and no other.
    const url = checkHttpUrl(input.url, 'a dataset.json');
    allowUserOrigin(url);
    return { data: await fetchDataset(url), report: null, skipped: [], format: 'the bundled format, from a URL' };
  }
  // Hidden files (".DS_Store", macOS "._x.png", "__MACOSX/…") are left out, as the CLI leaves them out.
  const hidden = input.files.filter((f) => isHiddenPath(f.path));
  const visible = input.files.filter((f) => !isHiddenPath(f.path));
  const metaFile = visible.find((f) => f.file.name === 'dataset.json');
  if (metaFile) return { data: await readBundledFiles(visible, metaFile.file), report: null, skipped: [], format: 'the bundled format' };
  const images = visible.filter((f) => isImagePath(f.path));
  const skipped = input.files.filter((f) => !images.includes(f)).map((f) => f.path);
  if (images.length === 0) {
    throw new CoarError(`None of the ${input.files.length} picked files is a PNG or JPEG image${hidden.length ? ' that is not hidden' : ''}${skipped.length ? ` (skipped: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''})` : ''}.`, 'empty-data');
  }
  // Each image is shrunk to the model's size as soon as it is decoded, so full-size photos are never all held at once.
  const codecs = await loadDecoder();
  const decoded: DecodedImage[] = [];
  for (const [k, { path, file }] of images.entries()) {
    throwIfCancelled(signal);
    const image = await decode(path, file, codecs);
    decoded.push(fitImageSize(image, target.height, target.width));
    if (k % 50 === 49) onProgress?.(k + 1, images.length);
  }
  const { dataset, ...report } = buildImageDataset(decoded, {
    name: input.name, target, labels: input.labels, normalize: input.normalize,
    ...(input.classNames && input.classNames.length ? { classNames: input.classNames } : {}),
  });
  return { data: dataset, report, skipped, format: `${images.length} PNG/JPEG files` };
}
