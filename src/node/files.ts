/** Filesystem and URL access for the CLI, scripts and tests (Node only). */
import { readFile, writeFile, mkdir, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { loadLayersModelFromFiles, modelToFiles } from '../coar/model-io';
import { CoarError } from '../coar/errors';
import { LIMITS } from '../coar/limits';
import { printable } from '../coar/printable';
import { checkRelativePath, urlBeside } from '../coar/safe-paths';

const isUrl = (s: string) => /^https?:\/\//i.test(s);

/**
 * Fetches a URL, following at most LIMITS.redirects redirects and only to the same origin; reads
 * at most maxBytes. Refusals are CoarError 'unsafe-url' / 'too-large' naming both URLs.
 */
async function fetchBytes(url: string, maxBytes: number): Promise<{ bytes: ArrayBuffer; finalUrl: string }> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await fetch(current, { redirect: 'manual' });
    if (res.status >= 300 && res.status < 400 && res.headers.has('location')) {
      await res.body?.cancel();
      const next = new URL(res.headers.get('location')!, current).href;
      if (new URL(next).origin !== new URL(url).origin) {
        throw new CoarError(`${printable(current)} redirects to ${printable(next)}, on another origin: refused (a model's files are read from the model's own site only).`, 'unsafe-url');
      }
      if (hop >= LIMITS.redirects) throw new CoarError(`${printable(url)} redirects more than ${LIMITS.redirects} times (last to ${printable(next)}): refused.`, 'unsafe-url');
      current = next;
      continue;
    }
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${printable(current)}`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const tooLarge = (n: number) => new CoarError(`${printable(current)} holds ${n.toLocaleString('en-US')} bytes or more, over the limit of ${maxBytes.toLocaleString('en-US')} (docs/LIMITS.md).`, 'too-large');
    if (declared > maxBytes) {
      await res.body?.cancel();
      throw tooLarge(declared);
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    const reader = res.body?.getReader();
    for (;;) {
      const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
      if (chunk.done) break;
      total += chunk.value.byteLength;
      if (total > maxBytes) {
        await reader!.cancel();
        throw tooLarge(total);
      }
      parts.push(chunk.value);
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const p of parts) { out.set(p, offset); offset += p.byteLength; }
    return { bytes: out.buffer, finalUrl: current };
  }
}

async function readLocal(path: string, maxBytes: number): Promise<ArrayBuffer> {
  const size = (await stat(path)).size;
  if (size > maxBytes) throw new CoarError(`${printable(path)} is ${size.toLocaleString('en-US')} bytes, over the limit of ${maxBytes.toLocaleString('en-US')} (docs/LIMITS.md).`, 'too-large');
  const buf = await readFile(path);
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** A local file or an http(s) URL (same-origin redirects only), at most maxBytes (default: the weight limit). */
export async function readBytes(pathOrUrl: string, maxBytes: number = LIMITS.weightBytes): Promise<ArrayBuffer> {
  return isUrl(pathOrUrl) ? (await fetchBytes(pathOrUrl, maxBytes)).bytes : readLocal(pathOrUrl, maxBytes);
}

/**
 * Loads a LayersModel from a model.json path or http(s) URL. Weight paths must resolve beside it
 * (checkRelativePath; for a URL, the same origin and folder or below), checked before any is read.
 */
export async function loadModel(pathOrUrl: string, onUpgrade?: (changes: string[]) => void): Promise<tf.LayersModel> {
  let text: string;
  // Weights resolve beside where model.json was found (after same-origin redirects).
  let base = pathOrUrl;
  try {
    if (isUrl(pathOrUrl)) {
      const fetched = await fetchBytes(pathOrUrl, LIMITS.jsonBytes);
      text = new TextDecoder().decode(fetched.bytes);
      base = fetched.finalUrl;
    } else {
      text = new TextDecoder().decode(await readLocal(pathOrUrl, LIMITS.jsonBytes));
    }
  } catch (e) {
    if (e instanceof CoarError) throw e;
    throw new CoarError(`Cannot read model file ${printable(pathOrUrl)}: ${printable((e as Error).message)}`, 'missing-model');
  }
  const what = `Weight file listed in ${printable(pathOrUrl)}`;
  const readWeight = isUrl(pathOrUrl)
    ? (rel: string) => readBytes(urlBeside(base, rel, what))
    : (rel: string) => {
      const base = dirname(resolve(pathOrUrl));
      const path = resolve(base, checkRelativePath(rel, what));
      if (!path.startsWith(base + sep)) throw new CoarError(`${what} "${printable(rel)}" resolves outside ${printable(base)}: refused.`, 'unsafe-path');
      return readBytes(path);
    };
  return loadLayersModelFromFiles(text, readWeight, pathOrUrl, onUpgrade);
}

export async function saveModel(model: tf.LayersModel, dir: string): Promise<void> {
  const files = await modelToFiles(model);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'model.json'), files.modelJson);
  await writeFile(join(dir, files.weightsFileName), new Uint8Array(files.weights));
}
