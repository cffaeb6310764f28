/**
 * PNG/JPEG bytes → RGBA pixels, the same in the browser worker and in Node: both use these pure-JS
 * decoders (pngjs's self-contained browser build and jpeg-js), so a folder of images gives the same
 * data set, and the same data fingerprint, in the app and in the CLI. No colour management, no
 * gamma, no EXIF rotation, no alpha premultiplication: the pixels as stored.
 *
 * The Node loader imports this module, and the worker loads it (a chunk of its own) with the first
 * picked image; the page never imports it, so the decoders stay out of the page's bundle.
 */
import jpeg from 'jpeg-js';
import * as pngBrowser from 'pngjs/browser.js';
import { CoarError } from './errors';
import type { DecodedImage } from './image-import';
import { LIMITS } from './limits';
import { printable } from './printable';

/** The parts of pngjs used here. Its browser build works on its own bundled Buffer class. */
interface PngData { width: number; height: number; data: Uint8Array }
interface PngClass {
  new (options: { width: number; height: number }): { data: Uint8Array };
  sync: { read(buffer: Uint8Array): PngData };
}
interface BufferClass { from(buffer: ArrayBufferLike, byteOffset: number, length: number): Uint8Array }

// A CommonJS bundle: bundlers give its exports as named members, Node's ESM loader under `default`.
const pngModule = pngBrowser as unknown as { PNG?: PngClass; default?: { PNG?: PngClass } };

let png: { PNG: PngClass; Buffer: BufferClass } | undefined;

function pngDecoder(): { PNG: PngClass; Buffer: BufferClass } {
  if (!png) {
    const PNG = pngModule.PNG ?? pngModule.default?.PNG;
    if (!PNG) throw new Error('the PNG decoder did not load');
    // The bundle does not export its Buffer class; a new image's pixel buffer is one.
    png = { PNG, Buffer: new PNG({ width: 1, height: 1 }).data.constructor as unknown as BufferClass };
  }
  return png;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function imageKind(bytes: Uint8Array): 'PNG' | 'JPEG' | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'PNG';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'JPEG';
  return undefined;
}

const asBytes = (a: Uint8Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

let crcTable: Uint32Array | undefined;

function crc32(bytes: Uint8Array, start: number, end: number): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * What is wrong with a PNG's chunk structure (length, name and checksum of each chunk, from IHDR
 * to IEND), in words; undefined when it is sound. The decoder's own errors are less precise.
 */
export function pngStructureProblem(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = bytes.length;
  for (let pos = 8, first = true; ; first = false) {
    if (pos + 8 > size) return `it ends at byte ${size}, before the IEND chunk that closes a PNG`;
    const length = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) return `bytes ${pos + 4}–${pos + 7} should name a chunk but do not`;
    if (first && type !== 'IHDR') return `its first chunk is "${type}", not the IHDR header`;
    if (pos + 12 + length > size) return `it ends at byte ${size}, inside its ${length}-byte "${type}" chunk that starts at byte ${pos}`;
    if (crc32(bytes, pos + 4, pos + 8 + length) !== view.getUint32(pos + 8 + length)) {
      return `its "${type}" chunk at byte ${pos} does not match its checksum (CRC)`;
    }
    if (type === 'IEND') return undefined;
    pos += 12 + length;
  }
}

/** A JPEG's last marker is end-of-image (FF D9); without one, the file was most likely cut short. */
const hasJpegEnd = (bytes: Uint8Array) => {
  for (let i = bytes.length - 2; i >= 2; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
};

function decodePng(bytes: Uint8Array): PngData {
  const { PNG, Buffer } = pngDecoder();
  const image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return { width: image.width, height: image.height, data: asBytes(image.data) };
}

/** Width and height from a PNG's IHDR chunk (its first, checked by pngStructureProblem). */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Width and height from a JPEG's first start-of-frame marker (SOF0–SOF15 but DHT, JPG, DAC); undefined if none is found. */
export function jpegSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  let pos = 2;
  while (pos + 4 <= bytes.length) {
    if (bytes[pos] !== 0xff) return undefined;
    const marker = bytes[pos + 1];
    if (marker === 0xff) { pos++; continue; } // fill byte
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { pos += 2; continue; }
    const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (pos + 9 > bytes.length) return undefined;
      return { height: (bytes[pos + 5] << 8) | bytes[pos + 6], width: (bytes[pos + 7] << 8) | bytes[pos + 8] };
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    pos += 2 + length;
  }
  return undefined;
}

/** The JPEG decoder's own limits, set from the same pixel limit (RGBA output plus its working buffers). */
const JPEG_LIMITS = {
  maxResolutionInMP: LIMITS.pixelsPerImage / 1e6,
  maxMemoryUsageInMB: Math.ceil((LIMITS.pixelsPerImage * 12) / 2 ** 20),
};

function decodeJpeg(bytes: Uint8Array): PngData {
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, ...JPEG_LIMITS });
  return { width: image.width, height: image.height, data: asBytes(image.data) };
}

/**
 * Decodes one image file to 8-bit RGBA at its own size. The format is chosen by content, not by
 * extension (a .jpg that is really a PNG still loads). Throws CoarError 'malformed-image' naming
 * the file.
 */
export function decodeImage(path: string, bytes: Uint8Array): DecodedImage {
  const name = printable(path);
  if (bytes.length === 0) throw new CoarError(`Image "${name}" is an empty file (0 bytes).`, 'malformed-image');
  const kind = imageKind(bytes);
  if (!kind) throw new CoarError(`Image "${name}" is neither a PNG nor a JPEG file (its first bytes do not match either format).`, 'malformed-image');
  if (kind === 'PNG') {
    const problem = pngStructureProblem(bytes);
    if (problem) throw new CoarError(`Image "${name}" could not be decoded as PNG: ${problem}. The file is corrupt or truncated.`, 'malformed-image');
  }
  // Judged from the header, before anything is inflated: a few KB can declare gigabytes of pixels.
  const size = kind === 'PNG' ? pngSize(bytes) : jpegSize(bytes);
  if (size && size.width * size.height > LIMITS.pixelsPerImage) {
    const mp = (x: number) => `${Math.round(x / 1e5) / 10} megapixels`;
    throw new CoarError(`Image "${name}" is ${size.width}×${size.height} (${mp(size.width * size.height)}), over the limit of ${mp(LIMITS.pixelsPerImage)} per image (docs/LIMITS.md): shrink it first; it is resized to the model's input anyway.`, 'malformed-image');
  }
  let image: PngData;
  try {
    image = kind === 'PNG' ? decodePng(bytes) : decodeJpeg(bytes);
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/\.$/, '');
    if (/^max(ResolutionInMP|MemoryUsageInMB) limit exceeded/.test(reason)) {
      throw new CoarError(`Image "${name}" is too large to decode here (${reason.replace(/^maxResolutionInMP/, `the ${JPEG_LIMITS.maxResolutionInMP}-megapixel`).replace(/^maxMemoryUsageInMB/, `the ${JPEG_LIMITS.maxMemoryUsageInMB} MB memory`)}): shrink it first; it is resized to the model's input anyway.`, 'malformed-image');
    }
    const cut = kind === 'JPEG' && !hasJpegEnd(bytes) ? ' (it has no end-of-image marker FF D9, so it was most likely cut short)' : '';
    throw new CoarError(`Image "${name}" could not be decoded as ${kind}: ${printable(reason)}${cut}. The file is corrupt or truncated.`, 'malformed-image');
  }
  const { width, height, data } = image;
  if (!(width > 0 && height > 0)) throw new CoarError(`Image "${name}" has size ${width}×${height}: it holds no pixels.`, 'malformed-image');
  if (data.length !== width * height * 4) {
    throw new CoarError(`Image "${name}" decoded as ${kind} to ${data.length} bytes, not ${width * height * 4} for ${width}×${height} RGBA: the file is corrupt.`, 'malformed-image');
  }
  return { path, width, height, rgba: data };
}
