/**
 * Bring-your-own images: exact resize and channel numbers, label rules, class order,
 * normalization parsing, and the Node loader on real PNG and JPEG files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { buildImageDataset, fitImageSize, isImagePath, labelOfPath, parseClassNames, parseLabelCsv, parseNormalization, type DecodedImage, type ImageImportOptions } from '../../src/coar/image-import';
import { resampleTaps, resizePixels } from '../../src/coar/image-pixels';
import { loadImageFolder } from '../../src/node/image-files';

const gray = (path: string, width: number, height: number, values: number[]): DecodedImage =>
  ({ path, width, height, rgba: Uint8Array.from(values.flatMap((v) => [v, v, v, 255])) });
const solid = (path: string, width: number, height: number, rgba: number[]): DecodedImage =>
  ({ path, width, height, rgba: Uint8Array.from(Array.from({ length: width * height }, () => rgba).flat()) });
const options = (over: Partial<ImageImportOptions> = {}): ImageImportOptions =>
  ({ name: 'test', target: { height: 2, width: 2, channels: 1 }, labels: { kind: 'folder' }, normalize: { kind: '0-1' }, ...over });
const ramp = Array.from({ length: 16 }, (_, i) => i);

describe('resizing', () => {
  it('area-averages a 4×4 image to 2×2 (means of the 2×2 blocks, rounded half up)', () => {
    expect(Array.from(resizePixels(Uint8Array.from(ramp), 4, 4, 1, 2, 2))).toEqual([3, 5, 11, 13]);
    const { dataset, resized } = buildImageDataset([gray('a/x.png', 4, 4, ramp), gray('b/y.png', 2, 2, [1, 2, 3, 4])], options());
    expect(Array.from(dataset.pixels)).toEqual([3, 5, 11, 13, 1, 2, 3, 4]);
    expect(resized).toBe(1);
  });

  it('weights a shrink by overlap (3 → 2) and interpolates an enlargement between centres (2 → 4)', () => {
    const taps = resampleTaps(3, 2);
    expect(Array.from(taps.index)).toEqual([0, 1, 1, 2]);
    expect(Array.from(taps.weight).map((w) => w.toFixed(6))).toEqual(['0.666667', '0.333333', '0.333333', '0.666667']);
    expect(Array.from(resizePixels(Uint8Array.from([0, 100]), 1, 2, 1, 1, 4))).toEqual([0, 25, 75, 100]);
    expect(Array.from(resizePixels(Uint8Array.from([0, 100]), 2, 1, 1, 4, 1))).toEqual([0, 25, 75, 100]);
  });

  it('resizes each channel on its own and copies an image already at the target size', () => {
    const rgb = Uint8Array.from([10, 20, 30, 30, 40, 50]); // 1×2 RGB
    expect(Array.from(resizePixels(rgb, 1, 2, 3, 1, 1))).toEqual([20, 30, 40]);
    expect(Array.from(resizePixels(rgb, 1, 2, 3, 1, 2))).toEqual(Array.from(rgb));
  });

  it('shrinking right after decoding gives the same data set as building from the original', () => {
    const big = { path: 'a/big.png', width: 7, height: 5, rgba: Uint8Array.from({ length: 140 }, (_, i) => (i * 37) % 256) };
    const other = gray('b/o.png', 3, 3, [9, 8, 7, 6, 5, 4, 3, 2, 1]);
    for (const channels of [1, 3]) {
      const o = options({ target: { height: 3, width: 3, channels } });
      expect(buildImageDataset([fitImageSize(big, 3, 3), other], o).dataset.pixels).toEqual(buildImageDataset([big, other], o).dataset.pixels);
    }
  });
});

describe('channel conversion', () => {
  const red = solid('a/red.png', 1, 1, [255, 0, 0, 255]);
  const green = solid('a/green.png', 1, 1, [0, 255, 0, 255]);
  const blue = solid('b/blue.png', 1, 1, [0, 0, 255, 255]);
  const target1 = { height: 1, width: 1, channels: 1 };
  it('RGB → gray by BT.601 luma, rounded (0.299, 0.587, 0.114)', () => {
    const { dataset, convertedChannels } = buildImageDataset([red, green, blue], options({ target: target1 }));
    expect(Array.from(dataset.pixels)).toEqual([150, 76, 29]); // sorted by path: a/green, a/red, b/blue
    expect(convertedChannels).toBe(3);
  });
  it('gray → RGB replicates; alpha is ignored', () => {
    const target = { height: 1, width: 1, channels: 3 };
    const { dataset, convertedChannels } = buildImageDataset([gray('a/g.png', 1, 1, [200]), solid('b/t.png', 1, 1, [10, 20, 30, 0])], options({ target }));
    expect(Array.from(dataset.pixels)).toEqual([200, 200, 200, 10, 20, 30]);
    expect(convertedChannels).toBe(1);
  });
  it('a gray image keeps its values exactly on a 1-channel model', () => {
    const values = [0, 1, 127, 128, 254, 255];
    const { dataset } = buildImageDataset([gray('a/x.png', 6, 1, values), gray('b/y.png', 6, 1, values)], options({ target: { height: 1, width: 6, channels: 1 } }));
    expect(Array.from(dataset.pixels.subarray(0, 6))).toEqual(values);
  });
});

describe('labels', () => {
  it('from the parent folder, a file-name prefix, or a CSV row', () => {
    expect(labelOfPath('cat/001.png', { kind: 'folder' })).toBe('cat');
    expect(labelOfPath('train\\dog\\002.JPG', { kind: 'folder' })).toBe('dog');
    expect(labelOfPath('x/bird_17.png', { kind: 'prefix', separator: '_' })).toBe('bird');
    expect(labelOfPath('bird-17_a.png', { kind: 'prefix', separator: '-' })).toBe('bird');
    const csv = parseLabelCsv('filename,label\r\n"a, b.png",cat\n\nsub/c.jpg,"dog ""x"""\n');
    expect([...csv]).toEqual([['a, b.png', 'cat'], ['sub/c.jpg', 'dog "x"']]);
    expect(labelOfPath('a, b.png', { kind: 'csv', text: '' }, csv)).toBe('cat');
    expect(labelOfPath('deep/a, b.png', { kind: 'csv', text: '' }, csv)).toBe('cat'); // by file name
    expect(labelOfPath('./sub/c.jpg', { kind: 'csv', text: 'sub/c.jpg,dog' })).toBe('dog'); // by path
  });
  it('CSV without a header row', () => {
    expect([...parseLabelCsv('a.png,1\nb.png,0')]).toEqual([['a.png', '1'], ['b.png', '0']]);
  });
  it('image paths by extension', () => {
    expect(['a.png', 'b.JPEG', 'c.jpg', 'd.gif', '.png', 'notes.txt'].map(isImagePath)).toEqual([true, true, true, false, false, false]);
  });
});

describe('class names', () => {
  it('sorted unique labels, numbers numerically, then text', () => {
    const images = ['10/a.png', '9/b.png', '2/c.png', '10/d.png'].map((p) => gray(p, 2, 2, [0, 0, 0, 0]));
    const r = buildImageDataset(images, options());
    expect(r.dataset.meta.classNames).toEqual(['2', '9', '10']);
    expect(Array.from(r.dataset.labels)).toEqual([2, 2, 0, 1]); // paths sorted: 10/a, 10/d, 2/c, 9/b
    expect(r.perClass).toEqual([1, 1, 2]);
    const mixed = ['b/x.png', 'a/x.png', '3/x.png', 'B/x.png'].map((p) => gray(p, 2, 2, [0, 0, 0, 0]));
    expect(buildImageDataset(mixed, options()).dataset.meta.classNames).toEqual(['3', 'B', 'a', 'b']);
  });
  it('given names fix the order; labels may also be indices into them', () => {
    const images = [gray('cat/a.png', 2, 2, [0, 0, 0, 0]), gray('1/b.png', 2, 2, [0, 0, 0, 0]), gray('bird/c.png', 2, 2, [0, 0, 0, 0])];
    const r = buildImageDataset(images, options({ classNames: ['dog', 'cat', 'bird'] }));
    expect(r.dataset.meta.classNames).toEqual(['dog', 'cat', 'bird']);
    expect(Array.from(r.dataset.labels)).toEqual([1, 2, 1]); // 1/b, bird/c, cat/a
    expect(r.perClass).toEqual([0, 2, 1]);
  });
  it('a class-names file: trimmed, blank lines and comments skipped', () => {
    expect(parseClassNames('# classes\n  cat \n\ndog\r\n#bird\nbird\n')).toEqual(['cat', 'dog', 'bird']);
  });
  it('the result is independent of the order the images arrive in', () => {
    const images = ['b/1.png', 'a/2.png', 'a/1.png', 'b/0.png'].map((p, i) => gray(p, 2, 2, [i, i, i, i]));
    const a = buildImageDataset(images, options());
    const b = buildImageDataset([...images].reverse(), options());
    expect(b.dataset.pixels).toEqual(a.dataset.pixels);
    expect(b.dataset.labels).toEqual(a.dataset.labels);
    expect(a.dataset.meta).toMatchObject({ format: 'coar-images-v1', count: 4, images: 'images.u8', labels: 'labels.u8' });
  });
});

describe('normalization', () => {
  it('parses the three kinds; one mean-std value stands for every channel', () => {
    expect(parseNormalization('0-1')).toEqual({ kind: '0-1' });
    expect(parseNormalization('-1-1')).toEqual({ kind: '-1-1' });
    expect(parseNormalization('mean-std', '0.485, 0.456,0.406', '0.229,0.224,0.225')).toEqual({ kind: 'mean-std', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] });
    const n = parseNormalization('mean-std', '0.5', '0.25');
    const r = buildImageDataset([solid('a/x.png', 2, 2, [1, 2, 3, 255]), solid('b/x.png', 2, 2, [1, 2, 3, 255])], options({ target: { height: 2, width: 2, channels: 3 }, normalize: n }));
    expect(r.dataset.meta.normalize).toEqual({ kind: 'mean-std', mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] });
  });
});

describe('Node loader on real files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'coar-images-'));
  const png = (path: string, width: number, height: number, rgba: number[], colorType: 0 | 2 | 6 = 6) => {
    const image = new PNG({ width, height });
    image.data.set(Array.from({ length: width * height }, () => rgba).flat());
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), PNG.sync.write(image, { colorType }));
  };
  png('cat/a.png', 4, 4, [200, 200, 200, 255], 0); // grayscale PNG
  png('cat/b.png', 2, 2, [255, 0, 0, 255], 2); // RGB PNG
  png('dog/c.png', 2, 2, [0, 0, 255, 128]); // RGBA PNG
  png('zoo/dog/e.png', 1, 1, [10, 20, 30, 255]); // nested: the label is the parent folder
  writeFileSync(join(dir, 'dog', 'd.jpg'), jpeg.encode({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(90) }, 95).data);
  writeFileSync(join(dir, 'README.txt'), 'not an image');
  writeFileSync(join(dir, 'labels.csv'), 'file,label\ncat/a.png,dog\ncat/b.png,cat\nc.png,cat\nd.jpg,dog\nzoo/dog/e.png,cat\n');
  writeFileSync(join(dir, 'classes.txt'), 'dog\ncat\n');
  const target = { height: 2, width: 2, channels: 3 };

  it('walks the folder (sorted, recursively), decodes PNG and JPEG, skips other files', async () => {
    const r = await loadImageFolder(dir, { normalize: { kind: '0-1' }, target });
    const d = r.dataset;
    expect(d.meta.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(d.labels)).toEqual([0, 0, 1, 1, 1]); // cat/a, cat/b, dog/c, dog/d, zoo/dog/e
    expect(r.resized).toBe(3);
    expect(r.convertedChannels).toBe(2); // the gray PNG and the gray JPEG
    expect(Array.from(d.pixels.subarray(0, 12))).toEqual(Array(12).fill(200));
    expect(Array.from(d.pixels.subarray(12, 24))).toEqual([255, 0, 0, 255, 0, 0, 255, 0, 0, 255, 0, 0]);
    expect(Array.from(d.pixels.subarray(24, 27))).toEqual([0, 0, 255]);
    for (const v of d.pixels.subarray(36, 48)) expect(Math.abs(v - 90)).toBeLessThanOrEqual(2); // JPEG is lossy
    expect(d.meta.name).toMatch(/^coar-images-/);
  });

  it('reads labels from a CSV and class order from a class-names file', async () => {
    const r = await loadImageFolder(dir, { labels: 'csv', csvPath: join(dir, 'labels.csv'), classNamesPath: join(dir, 'classes.txt'), normalize: { kind: '-1-1' }, target: { height: 2, width: 2, channels: 1 } });
    expect(r.dataset.meta.classNames).toEqual(['dog', 'cat']);
    expect(Array.from(r.dataset.labels)).toEqual([0, 1, 1, 0, 1]);
    expect(r.perClass).toEqual([2, 3]);
    expect(Array.from(r.dataset.pixels.subarray(4, 8))).toEqual([76, 76, 76, 76]); // red → luma 76
  });

  it('reads labels from file-name prefixes', async () => {
    const flat = mkdtempSync(join(tmpdir(), 'coar-prefix-'));
    for (const name of ['ant-1.png', 'ant-2.png', 'bee-1.png']) writeFileSync(join(flat, name), PNG.sync.write(new PNG({ width: 1, height: 1 })));
    const r = await loadImageFolder(flat, { labels: 'prefix', separator: '-', normalize: { kind: '0-1' }, target: { height: 1, width: 1, channels: 1 } });
    expect(r.dataset.meta.classNames).toEqual(['ant', 'bee']);
    expect(r.perClass).toEqual([2, 1]);
  });
});
