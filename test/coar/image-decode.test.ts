/**
 * The shared PNG/JPEG decoder (the app's worker and the CLI both use it): pixels as stored, with
 * alpha kept and not premultiplied, no EXIF rotation, fixed values for fixed bytes, and errors
 * that name the file and say what is wrong. Also the one rule for hidden files.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { CoarError } from '../../src/coar/errors';
import { decodeImage, imageKind, pngStructureProblem } from '../../src/coar/image-decode';
import { isHiddenPath } from '../../src/coar/image-labels';

const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** A 3×2 PNG with a 2-bit palette and a tRNS chunk (entry 0 fully transparent, entry 1 half), written by hand. */
const PALETTE_PNG = fromBase64('iVBORw0KGgoAAAANSUhEUgAAAAMAAAACAgMAAADgGo6JAAAADFBMVEXIZDIKFB4AgP/////aKexqAAAAAnRSTlMAgJsrThgAAAAMSURBVHjaY5BgeAIAATAA/Wgwz98AAAAASUVORK5CYII=');

/**
 * A 4×2 baseline JPEG (quality 90) of red, green, blue, yellow / cyan, magenta, gray, dark blue,
 * carrying an EXIF orientation of 6 ("rotate 90°"), which must not be applied.
 */
const EXIF_JPEG = fromBase64(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/4QAiRXhpZgAATU0AKgAAAAgAAQESAAMAAAABAAYAAAAAAAD/2wCEAAMCAgMCAgMDAwMEAwMEBQgFBQQEBQoHBwYIDAoMDAsKCwsNDhIQDQ4RDgsLEBYQERMUFRUVDA8XGBYUGBIUFRQBAwQEBQQFCQUFCRQNCw0UFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFP/AABEIAAIABAMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/APEPj98RfFfw5+Il3pvhPxPrPhjTpPMle00bUJbSJnWaWJWKRsoJEcUSA44WNB0UAe7xLw3kmLx/JiMDSmqcIRipU4NRi4qo1G60TnOc2lZOc5Sesm35lPEVlgcBWU3z1cNhas3d3nUqYenOpUm95TqTlKc5u8pSblJtts//2Q==',
);

/** RGBA with fully and partly transparent pixels whose colour must survive (a canvas would premultiply it away). */
const TRANSPARENT_RGBA = [200, 100, 50, 0, 1, 2, 3, 128, 255, 255, 255, 255, 0, 0, 0, 0, 90, 180, 240, 1, 17, 34, 51, 254];

function rgbaPng(width: number, height: number, rgba: number[]): Uint8Array {
  const png = new PNG({ width, height });
  png.data.set(rgba);
  return new Uint8Array(PNG.sync.write(png));
}

function refusal(f: () => unknown): CoarError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CoarError);
    expect((e as CoarError).code).toBe('malformed-image');
    return e as CoarError;
  }
  throw new Error('expected a refusal');
}

describe('decodeImage: fixed bytes → fixed pixels', () => {
  it('keeps the colour of transparent pixels (no premultiplied alpha)', () => {
    const image = decodeImage('cat/t.png', rgbaPng(3, 2, TRANSPARENT_RGBA));
    expect({ path: image.path, width: image.width, height: image.height }).toEqual({ path: 'cat/t.png', width: 3, height: 2 });
    expect(Array.from(image.rgba)).toEqual(TRANSPARENT_RGBA);
  });

  it('gives the same pixels as pngjs on Node zlib, for RGBA, gray+alpha and 16-bit PNGs', () => {
    const cases: Uint8Array[] = [rgbaPng(3, 2, TRANSPARENT_RGBA)];
    const gray = new PNG({ width: 5, height: 3, colorType: 4, inputColorType: 6 } as ConstructorParameters<typeof PNG>[0]);
    gray.data.set(Array.from({ length: 60 }, (_, i) => (i * 53) % 256));
    cases.push(new Uint8Array(PNG.sync.write(gray, { colorType: 4 })));
    const deep = new PNG({ width: 4, height: 4 });
    deep.data.set(Array.from({ length: 64 }, (_, i) => (i * 97 + 13) % 256));
    cases.push(new Uint8Array(PNG.sync.write(deep, { bitDepth: 16 })));
    for (const bytes of cases) {
      const reference = PNG.sync.read(Buffer.from(bytes));
      const image = decodeImage('x.png', bytes);
      expect([image.width, image.height]).toEqual([reference.width, reference.height]);
      expect(Array.from(image.rgba)).toEqual(Array.from(reference.data));
    }
  });

  it('expands a 2-bit palette with tRNS transparency', () => {
    const image = decodeImage('p.png', PALETTE_PNG);
    expect([image.width, image.height]).toEqual([3, 2]);
    expect(Array.from(image.rgba)).toEqual([
      200, 100, 50, 0, 10, 20, 30, 128, 0, 128, 255, 255,
      255, 255, 255, 255, 0, 128, 255, 255, 10, 20, 30, 128,
    ]);
  });

  it('decodes a JPEG to fixed values and ignores its EXIF orientation (4×2 stays 4×2)', () => {
    const image = decodeImage('photo.jpg', EXIF_JPEG);
    expect([image.width, image.height]).toEqual([4, 2]);
    expect(Array.from(image.rgba)).toEqual([
      248, 0, 0, 255, 10, 255, 12, 255, 0, 0, 254, 255, 254, 255, 0, 255,
      3, 255, 248, 255, 253, 0, 255, 255, 130, 123, 127, 255, 12, 45, 48, 255,
    ]);
    expect(Array.from(image.rgba)).toEqual(Array.from(jpeg.decode(EXIF_JPEG, { useTArray: true, formatAsRGBA: true }).data));
  });

  it('chooses the format by content, not by extension', () => {
    expect(imageKind(PALETTE_PNG)).toBe('PNG');
    expect(imageKind(EXIF_JPEG)).toBe('JPEG');
    expect(decodeImage('really-a-png.jpg', PALETTE_PNG).width).toBe(3);
    expect(decodeImage('really-a-jpeg.png', EXIF_JPEG).width).toBe(4);
  });
});

describe('decodeImage: damaged files, named', () => {
  const png = rgbaPng(3, 2, TRANSPARENT_RGBA);

  it('a PNG cut short, inside a chunk or before IEND', () => {
    expect(refusal(() => decodeImage('cat/a.png', png.subarray(0, 20))).message)
      .toBe('Image "cat/a.png" could not be decoded as PNG: it ends at byte 20, inside its 13-byte "IHDR" chunk that starts at byte 8. The file is corrupt or truncated.');
    expect(refusal(() => decodeImage('cat/a.png', png.subarray(0, png.length - 12))).message)
      .toMatch(/^Image "cat\/a.png" could not be decoded as PNG: it ends at byte \d+, before the IEND chunk that closes a PNG\. The file is corrupt or truncated\.$/);
    expect(refusal(() => decodeImage('cat/a.png', png.subarray(0, 8))).message).toMatch(/it ends at byte 8, before the IEND chunk/);
  });

  it('a PNG with a damaged byte fails its chunk checksum', () => {
    const bad = png.slice();
    bad[45] ^= 0xff; // inside the IDAT chunk that starts at byte 33
    expect(refusal(() => decodeImage('cat/b.png', bad)).message).toMatch(/^Image "cat\/b.png" could not be decoded as PNG: its "IDAT" chunk at byte 33 does not match its checksum \(CRC\)\./);
    expect(pngStructureProblem(png)).toBeUndefined();
  });

  it('a PNG whose first chunk is not IHDR', () => {
    const bad = png.slice();
    bad.set([0x61, 0x62, 0x63, 0x64], 12); // rename IHDR → "abcd"
    expect(refusal(() => decodeImage('x.png', bad)).message).toMatch(/its first chunk is "abcd", not the IHDR header/);
  });

  it('a JPEG cut short says so; garbage after the header is named', () => {
    expect(refusal(() => decodeImage('dog/c.jpg', EXIF_JPEG.subarray(0, 300))).message)
      .toMatch(/^Image "dog\/c.jpg" could not be decoded as JPEG: .+ \(it has no end-of-image marker FF D9, so it was most likely cut short\)\. The file is corrupt or truncated\.$/);
    const garbage = new Uint8Array([...EXIF_JPEG.subarray(0, 20), ...new Array(50).fill(7), 0xff, 0xd9]);
    const message = refusal(() => decodeImage('dog/d.jpg', garbage)).message;
    expect(message).toMatch(/^Image "dog\/d.jpg" could not be decoded as JPEG: .+\. The file is corrupt or truncated\.$/);
    expect(message).not.toMatch(/cut short/);
  });

  it('a JPEG beyond the decoder\'s size limit says so, not "corrupt"', () => {
    const huge = EXIF_JPEG.slice();
    const sof = huge.findIndex((b, i) => b === 0xff && huge[i + 1] === 0xc0);
    huge.set([10000 >> 8, 10000 & 0xff, 11000 >> 8, 11000 & 0xff], sof + 5); // height, width
    expect(refusal(() => decodeImage('big.jpg', huge)).message)
      .toBe('Image "big.jpg" is 11000×10000 (110 megapixels), over the limit of 40 megapixels per image (docs/LIMITS.md): shrink it first; it is resized to the model\'s input anyway.');
  });

  it('a file that is neither, and an empty file', () => {
    expect(refusal(() => decodeImage('dog/fake.png', new TextEncoder().encode('GIF89a...'))).message)
      .toBe('Image "dog/fake.png" is neither a PNG nor a JPEG file (its first bytes do not match either format).');
    expect(refusal(() => decodeImage('dog/empty.png', new Uint8Array(0))).message).toBe('Image "dog/empty.png" is an empty file (0 bytes).');
  });
});

describe('hidden paths', () => {
  it('any segment starting with "." or named __MACOSX', () => {
    for (const p of ['._001.png', 'cat/._001.png', '.DS_Store', 'cat/.DS_Store', '.git/x.png', 'a/.cache/b/c.png', '__MACOSX/cat/._a.png', 'x/__MACOSX/a.png', 'cat\\._001.png']) {
      expect(isHiddenPath(p), p).toBe(true);
    }
    for (const p of ['cat/001.png', './cat/001.png', 'a.b/c.png', 'cat/001.png.', 'MACOSX/a.png', '_x/a.png']) {
      expect(isHiddenPath(p), p).toBe(false);
    }
  });
});
