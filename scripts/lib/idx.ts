/** Reads the gzipped IDX files of (Fashion-)MNIST: big-endian header, then raw bytes. */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export function readIdx(path: string): { dims: number[]; data: Uint8Array } {
  let buf = readFileSync(path);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = view.getUint32(0);
  if (magic >>> 8 !== 0x08) throw new Error(`${path}: not an unsigned-byte IDX file (magic 0x${magic.toString(16)})`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length - offset !== size) throw new Error(`${path}: ${buf.length - offset} data bytes, header says ${size}`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, size) };
}
