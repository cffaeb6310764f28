/** Content fingerprints of a model and a data set, so a run file is only reopened with what made it. */
import * as tf from '@tensorflow/tfjs';
import { concatBuffers } from './model-io';
import type { ImageDataset } from './dataset';

export async function modelFingerprint(model: tf.LayersModel): Promise<string> {
  let bytes: Uint8Array[] = [];
  await model.save(tf.io.withSaveHandler(async (a) => {
    const weights = Array.isArray(a.weightData) ? concatBuffers(a.weightData) : (a.weightData as ArrayBuffer);
    bytes = [new TextEncoder().encode(JSON.stringify(a.modelTopology)), new Uint8Array(weights)];
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return fingerprintBytes(...bytes);
}

export function datasetFingerprint(data: ImageDataset): string {
  // Words for people (name, source, what a subset carries) are not the data.
  const { name: _name, source: _source, subsetInfo: _subsetInfo, ...shape } = data.meta;
  return fingerprintBytes(new TextEncoder().encode(JSON.stringify(shape)), data.pixels, data.labels);
}


/**
 * 64-bit FNV-1a over the bytes of each part, each followed by its byte length (8 bytes,
 * little-endian) so that part boundaries count. 16 hex digits. Not cryptographic: it tells
 * files apart, it does not resist forgery.
 */
export function fingerprintBytes(...parts: ArrayBufferView[]): string {
  const state = new Uint32Array([0xcbf29ce4, 0x84222325]); // the 64-bit state as hi, lo halves
  const length = new DataView(new ArrayBuffer(8));
  for (const part of parts) {
    fnv1a64(state, new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    length.setUint32(0, part.byteLength >>> 0, true);
    length.setUint32(4, Math.floor(part.byteLength / 0x100000000), true);
    fnv1a64(state, new Uint8Array(length.buffer));
  }
  return state[0].toString(16).padStart(8, '0') + state[1].toString(16).padStart(8, '0');
}

/** Feeds bytes into a 64-bit FNV-1a state. The prime is 2^40 + 0x1b3, multiplied out on 32-bit halves. */
function fnv1a64(state: Uint32Array, bytes: Uint8Array): void {
  let hi = state[0];
  let lo = state[1];
  for (let k = 0; k < bytes.length; k++) {
    lo = (lo ^ bytes[k]) >>> 0;
    const carry = (lo * 0x1b3 / 0x100000000) | 0; // the product is < 2^41, exact in a double
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = Math.imul(lo, 0x1b3) >>> 0;
  }
  state[0] = hi;
  state[1] = lo;
}
