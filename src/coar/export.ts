/**
 * Exports of a fitted run for use outside COAR Explorer: NumPy .npy arrays (np.load) and CSV.
 * Bytes and strings only, so it runs in a Web Worker as well as in Node.
 */
import { CoarError, check } from './errors';
import type { RunData } from './runfile';

export type NpyData = Float32Array | Float64Array | Int32Array;

const NPY_MAGIC = '\x93NUMPY';
/** The .npy header starts with magic (6 bytes), version (2) and header length (2 in v1.0). */
const NPY_V1_PREAMBLE = 10;
/** numpy aligns the data to 64 bytes so that it can be memory-mapped. */
const NPY_ALIGN = 64;

function descrOf(data: NpyData): string {
  return data instanceof Float32Array ? '<f4' : data instanceof Float64Array ? '<f8' : '<i4';
}

const ARRAY_OF_DESCR: Record<string, { BYTES_PER_ELEMENT: number; new (buffer: ArrayBuffer): NpyData }> = {
  '<f4': Float32Array, '<f8': Float64Array, '<i4': Int32Array,
};

/** A NumPy .npy file (format version 1.0, C order, little-endian). */
export function encodeNpy(data: NpyData, shape: number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  check(shape.every((d) => Number.isInteger(d) && d >= 0) && count === data.length,
    `Cannot write a .npy array of shape (${shape}) from ${data.length} values.`, 'bad-export');
  // Python's repr of a tuple: a one-element tuple needs its trailing comma.
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = NPY_V1_PREAMBLE + dict.length + 1; // + the closing newline
  const header = dict + ' '.repeat(Math.ceil(unpadded / NPY_ALIGN) * NPY_ALIGN - unpadded) + '\n';
  check(header.length <= 0xffff, `The .npy header for shape (${shape}) is too long for format version 1.0.`, 'bad-export');

  const out = new Uint8Array(NPY_V1_PREAMBLE + header.length + data.byteLength);
  for (let i = 0; i < NPY_MAGIC.length; i++) out[i] = NPY_MAGIC.charCodeAt(i);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  new DataView(out.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[NPY_V1_PREAMBLE + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), NPY_V1_PREAMBLE + header.length);
  return out;
}

/** Reads a .npy file (versions 1–3) holding little-endian float32, float64 or int32 in C order. */
export function decodeNpy(bytes: Uint8Array): { data: NpyData; shape: number[] } {
  const magicOk = bytes.length >= NPY_V1_PREAMBLE && [...NPY_MAGIC].every((c, i) => bytes[i] === c.charCodeAt(0));
  check(magicOk, 'This is not a NumPy .npy file (it does not start with "\\x93NUMPY").', 'malformed-npy');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6];
  check(major >= 1 && major <= 3, `Unsupported .npy format version ${major}.${bytes[7]}.`, 'malformed-npy');
  // Version 1 stores the header length in 2 bytes; versions 2 and 3 in 4.
  const lengthBytes = major === 1 ? 2 : 4;
  check(bytes.length >= 8 + lengthBytes, 'The .npy file is truncated inside its preamble.', 'malformed-npy');
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = 8 + lengthBytes + headerLength;
  check(dataStart <= bytes.length, 'The .npy file is truncated inside its header.', 'malformed-npy');
  const header = new TextDecoder().decode(bytes.subarray(8 + lengthBytes, dataStart));

  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new CoarError(`The .npy header is not understood: ${header.trim()}`, 'malformed-npy');
  }
  const ArrayType = ARRAY_OF_DESCR[descr];
  check(ArrayType, `The .npy array has dtype '${descr}'; only little-endian float32, float64 and int32 are read.`, 'malformed-npy');
  check(fortran === 'False', 'The .npy array is in Fortran order; save it in C order (np.ascontiguousarray).', 'malformed-npy');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  check(shape.every((d) => Number.isInteger(d) && d >= 0), `The .npy header has an invalid shape (${shapeText}).`, 'malformed-npy');

  const byteLength = shape.reduce((a, b) => a * b, 1) * ArrayType.BYTES_PER_ELEMENT;
  check(dataStart + byteLength <= bytes.length,
    `The .npy file is truncated: shape (${shape}) needs ${byteLength} bytes of data but ${bytes.length - dataStart} follow.`, 'malformed-npy');
  // Copied into fresh, aligned memory (not bytes.slice: on a Node Buffer that is a view).
  return { data: new ArrayType(new Uint8Array(bytes.subarray(dataStart, dataStart + byteLength)).buffer), shape };
}

/**
 * The fitted attributions as CSV: a header row, then one row per studied example with its
 * data set index, label, bias and one weight per component.
 */
export function attributionsCsv(run: RunData, componentNames: string[]): string {
  check(run.fit, 'The run has no fitted attributions to export yet: fit it first.', 'bad-export');
  check(componentNames.length === run.componentCount,
    `Got ${componentNames.length} component names for a run with ${run.componentCount} components.`, 'bad-export');
  const N = run.componentCount;
  const { weights, bias } = run.fit;
  const lines = [['example', 'label', 'bias', ...componentNames].map(csvField).join(',')];
  run.settings.examples.forEach((example, j) => {
    const row = [String(example), String(run.labels[j]), float32Text(bias[j])];
    for (let i = 0; i < N; i++) row.push(float32Text(weights[j * N + i]));
    lines.push(row.join(','));
  });
  return lines.join('\n') + '\n';
}

/** RFC 4180 quoting: only fields with a comma, quote or line break are quoted. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The shortest decimal that reads back as the same float32. More digits never stop a
 * representation from round-tripping, so a binary search over 1..9 digits finds it.
 */
function float32Text(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  let lo = 1;
  let hi = 9; // 9 significant digits always round-trip a float32
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Math.fround(Number(x.toPrecision(mid))) === x) hi = mid;
    else lo = mid + 1;
  }
  return String(Number(x.toPrecision(lo)));
}
