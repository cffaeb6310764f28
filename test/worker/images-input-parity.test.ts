/**
 * The app's worker and the CLI read the same folder of images into the same data set: the same
 * pixel bytes, labels, description and data fingerprint, with hidden files (macOS "._x.png",
 * ".DS_Store", "__MACOSX/") left out by both, and the same refusal for a damaged image.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { ImageDataset, Normalization } from '../../src/coar/dataset';
import { datasetFingerprint } from '../../src/coar/fingerprint';
import { loadImageFolder } from '../../src/node/image-files';
import { readImagesInput } from '../../src/worker/workspace/images-input';

function png(width: number, height: number, pixel: (x: number, y: number) => number[]): Buffer {
  const image = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) image.data.set(pixel(x, y), (y * width + x) * 4);
  return PNG.sync.write(image);
}

function jpg(width: number, height: number, pixel: (x: number, y: number) => number[]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...pixel(x, y), 255], (y * width + x) * 4);
  return jpeg.encode({ width, height, data }, 85).data;
}

/** Files under dir (hidden ones included), as a folder picker hands them to the worker. */
function pickAll(dir: string, prefix = ''): { path: string; file: File }[] {
  return readdirSync(join(dir, prefix)).sort().flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    if (statSync(join(dir, rel)).isDirectory()) return pickAll(dir, rel);
    return [{ path: rel, file: new File([readFileSync(join(dir, rel))], name) }];
  });
}

function folder(files: Record<string, Uint8Array | string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'coar-parity-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

const withoutName = (data: ImageDataset) => {
  const { name: _name, source: _source, ...meta } = data.meta;
  return meta;
};

/** Partly transparent PNGs (where a canvas would premultiply), JPEGs, sizes off the target, and hidden junk. */
const FILES = {
  'cat/001.png': png(6, 5, (x, y) => [40 * x, 50 * y, 200, x === 0 ? 0 : 255 - 30 * y]),
  'cat/002.png': png(4, 4, (x, y) => [200, 100, 50, (x + y) % 3 === 0 ? 0 : 128]),
  'cat/003.jpg': jpg(9, 7, (x, y) => [(x * 29) % 256, (y * 37) % 256, ((x + y) * 19) % 256]),
  'dog/001.jpeg': jpg(4, 4, (x, y) => [250 - 20 * x, 10 * y, 128]),
  'dog/002.png': png(4, 4, (x) => [x * 60, x * 60, x * 60, 255]),
  'dog/._002.png': 'AppleDouble resource fork, not a PNG',
  'dog/.DS_Store': 'Finder settings',
  '__MACOSX/dog/._001.jpeg': 'AppleDouble',
  '.hidden/cat/004.png': png(4, 4, () => [1, 2, 3, 255]),
  'notes.txt': 'not an image',
};

async function bothWays(dir: string, target: { height: number; width: number; channels: number }, normalize: Normalization = { kind: '0-1' }) {
  const node = await loadImageFolder(dir, { target, normalize, labels: 'folder' });
  const worker = await readImagesInput({ kind: 'files', files: pickAll(dir), labels: { kind: 'folder' }, normalize, classNames: null, name: 'picked' }, target);
  return { node, worker };
}

describe('the worker and the CLI read a folder alike', () => {
  for (const target of [{ height: 4, width: 4, channels: 3 }, { height: 5, width: 3, channels: 1 }]) {
    it(`same bytes and fingerprint at ${target.height}×${target.width}×${target.channels}`, async () => {
      const { node, worker } = await bothWays(folder(FILES), target);
      expect(worker.data.meta.count).toBe(5);
      expect(Buffer.from(worker.data.pixels).equals(Buffer.from(node.dataset.pixels))).toBe(true);
      expect(Array.from(worker.data.labels)).toEqual(Array.from(node.dataset.labels));
      expect(Array.from(worker.data.labels)).toEqual([0, 0, 0, 1, 1]);
      expect(withoutName(worker.data)).toEqual(withoutName(node.dataset));
      expect(datasetFingerprint(worker.data)).toBe(datasetFingerprint(node.dataset));
      expect(worker.report).toEqual({ resized: node.resized, convertedChannels: node.convertedChannels, perClass: node.perClass, conversions: node.conversions, paths: node.paths });
      expect(node.paths).toEqual(['cat/001.png', 'cat/002.png', 'cat/003.jpg', 'dog/001.jpeg', 'dog/002.png']);
    });
  }

  it('keeps the colour under transparent pixels, as stored', async () => {
    const dir = folder({ 'a/x.png': png(2, 1, () => [200, 100, 50, 0]), 'b/y.png': png(2, 1, () => [10, 20, 30, 255]) });
    const { node, worker } = await bothWays(dir, { height: 1, width: 2, channels: 3 });
    expect(Array.from(worker.data.pixels)).toEqual([200, 100, 50, 200, 100, 50, 10, 20, 30, 10, 20, 30]);
    expect(Array.from(node.dataset.pixels)).toEqual(Array.from(worker.data.pixels));
  });

  it('reports hidden files among the skipped ones, without decoding them', async () => {
    const { worker } = await bothWays(folder(FILES), { height: 4, width: 4, channels: 3 });
    expect(worker.skipped).toEqual(['.hidden/cat/004.png', '__MACOSX/dog/._001.jpeg', 'dog/.DS_Store', 'dog/._002.png', 'notes.txt']);
    expect(worker.format).toBe('5 PNG/JPEG files');
  });

  it('a folder of hidden images only has no images in either', async () => {
    const dir = folder({ 'cat/._1.png': 'x', '.git/a/1.png': png(2, 2, () => [0, 0, 0, 255]) });
    await expect(loadImageFolder(dir, { target: { height: 2, width: 2, channels: 3 }, normalize: { kind: '0-1' } })).rejects.toThrow(/No images \(.png, .jpg, .jpeg\) in/);
    await expect(readImagesInput({ kind: 'files', files: pickAll(dir), labels: { kind: 'folder' }, normalize: { kind: '0-1' }, classNames: null, name: 'p' }, { height: 2, width: 2, channels: 3 }))
      .rejects.toThrow(/None of the 2 picked files is a PNG or JPEG image that is not hidden \(skipped: .git\/a\/1.png, cat\/._1.png\)/);
  });

  it('refuses a damaged image with the same message', async () => {
    const good = png(4, 4, () => [9, 9, 9, 255]);
    const dir = folder({ 'cat/ok.png': good, 'dog/ok.png': good, 'dog/bad.png': good.subarray(0, 45) });
    const target = { height: 4, width: 4, channels: 3 };
    const expected = /^Image "dog\/bad.png" could not be decoded as PNG: it ends at byte 45, inside its \d+-byte "IDAT" chunk that starts at byte 33\. The file is corrupt or truncated\.$/;
    await expect(loadImageFolder(dir, { target, normalize: { kind: '0-1' } })).rejects.toThrow(expected);
    await expect(readImagesInput({ kind: 'files', files: pickAll(dir), labels: { kind: 'folder' }, normalize: { kind: '0-1' }, classNames: null, name: 'p' }, target)).rejects.toThrow(expected);
  });
});
