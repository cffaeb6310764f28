/**
 * The IndexedDB layout behind RunStore, and the few promise helpers it needs. Every write goes
 * through `transact`, so a write either lands whole or leaves what was stored before.
 */
import { CoarError } from '../../coar/errors';
import { RUN_FILE_VERSION, type MaskBlock, type RunData } from '../../coar/runfile';

export const DB_VERSION = 1;

/** Object stores: run metas (small, listed), headers (big arrays), stored-row flags, row chunks, assets. */
export type StoreName = 'runs' | 'headers' | 'progress' | 'chunks' | 'assets';

/** A run still being sampled: everything but its output rows, which live in chunks. */
export interface PartsHeader {
  id: string;
  form: 'parts';
  createdAt: string;
  settings: RunData['settings'];
  model: RunData['model'];
  data: RunData['data'];
  layers: RunData['layers'];
  componentCount: number;
  shard?: RunData['shard'];
  labels: Int32Array;
  baseOutputs: Float32Array;
  trainMasks: Uint32Array;
  validationMasks: Uint32Array;
}

/** A completed run: the whole run file (docs/RUNFILE.md), fit included. */
export interface FileHeader {
  id: string;
  form: 'file';
  file: Uint8Array;
}

export type HeaderRecord = PartsHeader | FileHeader;

/** Which rows are stored (so a row saved twice is counted once) and the next chunk's number. */
export interface ProgressRecord {
  id: string;
  train: Uint8Array;
  validation: Uint8Array;
  nextSeq: number;
}

export interface ChunkRecord {
  runId: string;
  seq: number;
  block: 'train' | 'validation';
  rows: Uint32Array;
  /** rows.length × n, row-major, in the order of `rows`. */
  outputs: Float32Array;
}

export function partsHeader(id: string, run: RunData): PartsHeader {
  return {
    id, form: 'parts', createdAt: run.createdAt, settings: run.settings, model: run.model, data: run.data,
    layers: run.layers, componentCount: run.componentCount, ...(run.shard ? { shard: run.shard } : {}),
    labels: run.labels, baseOutputs: run.baseOutputs,
    trainMasks: run.train.masks.ablated, validationMasks: run.validation.masks.ablated,
  };
}

export function runFromParts(h: PartsHeader): RunData {
  const n = h.settings.examples.length;
  const wordsPerMask = Math.ceil(h.componentCount / 32);
  const block = (ablated: Uint32Array, count: number): MaskBlock => ({
    masks: { componentCount: h.componentCount, count, wordsPerMask, ablated },
    outputs: new Float32Array(count * n),
    done: new Uint8Array(count),
  });
  return {
    version: RUN_FILE_VERSION, createdAt: h.createdAt, settings: h.settings, model: h.model, data: h.data,
    layers: h.layers, componentCount: h.componentCount, labels: h.labels, baseOutputs: h.baseOutputs,
    train: block(h.trainMasks, h.settings.trainMasks),
    validation: block(h.validationMasks, h.settings.valMasks),
    ...(h.shard ? { shard: h.shard } : {}),
  };
}

export function headerBytes(h: PartsHeader): number {
  const arrays = h.labels.byteLength + h.baseOutputs.byteLength + h.trainMasks.byteLength + h.validationMasks.byteLength;
  return arrays + JSON.stringify({ settings: h.settings, model: h.model, data: h.data, layers: h.layers }).length;
}

export const progressBytes = (p: ProgressRecord) => p.train.byteLength + p.validation.byteLength + 64;
export const chunkBytes = (c: ChunkRecord) => c.rows.byteLength + c.outputs.byteLength + 64;

/** Writes saved chunks into a run, in the order they were saved. */
export function applyChunks(run: RunData, chunks: ChunkRecord[], damaged: (why: string) => Error): void {
  const n = run.settings.examples.length;
  for (const chunk of [...chunks].sort((a, b) => a.seq - b.seq)) {
    const target: MaskBlock = run[chunk.block];
    if (chunk.outputs.length !== chunk.rows.length * n) throw damaged(`chunk ${chunk.seq} has ${chunk.outputs.length} outputs for ${chunk.rows.length} rows`);
    chunk.rows.forEach((r, k) => {
      if (r >= target.done.length) throw damaged(`chunk ${chunk.seq} names ${chunk.block} row ${r} of ${target.done.length}`);
      target.outputs.set(chunk.outputs.subarray(k * n, k * n + n), r * n);
      target.done[r] = 1;
    });
  }
}

export function unavailableError(why: string): CoarError {
  return new CoarError(
    `Runs cannot be saved in this browser: its storage (IndexedDB) is unavailable (${why}). `
    + 'Runs still work but are lost on reload; export them to files to keep them.', 'storage-unavailable');
}

/** Opens (creating or upgrading) the database; `onLost` hears when the browser closes it under us. */
export function openDatabase(factory: IDBFactory | undefined, name: string, onLost: () => void): Promise<IDBDatabase> {
  if (!factory) return Promise.reject(unavailableError('not supported here'));
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, DB_VERSION);
    } catch (e) {
      reject(unavailableError(messageOf(e)));
      return;
    }
    request.onupgradeneeded = () => createStores(request.result);
    request.onerror = () => reject(unavailableError(messageOf(request.error)));
    request.onsuccess = () => {
      const db = request.result;
      // Another tab upgrading the schema must not be blocked by this connection.
      db.onversionchange = () => { db.close(); onLost(); };
      db.onclose = onLost;
      resolve(db);
    };
  });
}

function createStores(db: IDBDatabase): void {
  const runs = db.createObjectStore('runs', { keyPath: 'id' });
  // Preset runs have no assetId and so stay out of this index.
  runs.createIndex('assetId', 'source.assetId');
  db.createObjectStore('headers', { keyPath: 'id' });
  db.createObjectStore('progress', { keyPath: 'id' });
  const chunks = db.createObjectStore('chunks', { keyPath: ['runId', 'seq'] });
  chunks.createIndex('runId', 'runId');
  db.createObjectStore('assets', { keyPath: 'id' });
}

export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Runs `body` in one transaction and settles once it has committed or aborted. A body that
 * throws aborts the transaction, so nothing it wrote is kept.
 */
export function transact<T>(db: IDBDatabase, stores: StoreName[], mode: IDBTransactionMode,
  body: (tx: IDBTransaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    const outcome: Promise<Outcome<T>> = body(tx).then(
      (value) => ({ ok: true, value }),
      (error: unknown) => {
        try { tx.abort(); } catch { /* already aborted by the failed request */ }
        return { ok: false, error };
      });
    tx.oncomplete = () => void outcome.then((o) => (o.ok ? resolve(o.value) : reject(o.error)));
    // The transaction's own error (e.g. quota at commit) explains more than the AbortError its
    // pending requests then report.
    tx.onabort = () => void outcome.then((o) =>
      reject(tx.error ?? (o.ok ? new DOMException('The transaction was aborted.', 'AbortError') : o.error)));
  });
}

export function isQuotaError(e: unknown): boolean {
  const name = (e as { name?: unknown } | null)?.name;
  return name === 'QuotaExceededError' || (e instanceof DOMException && e.code === 22);
}

/** Maps a failed store operation to the error the user sees; CoarErrors pass through. */
export function storageError(e: unknown, quotaMessage: () => string): CoarError {
  if (e instanceof CoarError) return e;
  if (isQuotaError(e)) return new CoarError(quotaMessage(), 'storage-full');
  if ((e as { name?: unknown } | null)?.name === 'InvalidStateError') return unavailableError(`the database was closed: ${messageOf(e)}`);
  return new CoarError(`The browser's storage for this site failed: ${messageOf(e)}`, 'storage-failed');
}

export function messageOf(e: unknown): string {
  if (e instanceof Error || e instanceof DOMException) return e.message || e.name;
  return String(e);
}

/** crypto.randomUUID exists only in secure contexts; a plain-http host still needs ids. */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x, i) => ([4, 6, 8, 10].includes(i) ? '-' : '') + x.toString(16).padStart(2, '0')).join('');
}
