/**
 * Runs saved in the browser (IndexedDB) as they are sampled, so a reload resumes without
 * recomputing finished chunks. A run is a meta (listed), a header (settings, masks, labels,
 * base outputs; no output rows) and one chunk record per saved chunk of rows; once complete,
 * the header is the whole run file and the chunks are gone. Layout: run-store-schema.ts.
 */
import { check, CoarError } from '../../coar/errors';
import type { DatasetMeta } from '../../coar/dataset';
import { decodeRunFile, encodeRunFile, runProgress, type RunData } from '../../coar/runfile';
import {
  applyChunks, chunkBytes, headerBytes, openDatabase, partsHeader, progressBytes, request, runFromParts, storageError,
  newId, transact, unavailableError, type ChunkRecord, type HeaderRecord, type ProgressRecord, type StoreName,
} from './run-store-schema';

export type RunSource = { kind: 'preset'; preset: string } | { kind: 'custom'; assetId: string };
export type StoredRunStatus = 'sampling' | 'stopped' | 'complete';

export interface StoredRunMeta {
  id: string; name: string; createdAt: string; updatedAt: string;
  source: RunSource; modelName: string; dataName: string;
  status: StoredRunStatus;
  trainDone: number; trainTotal: number; validationDone: number; validationTotal: number;
  exampleCount: number; componentCount: number; alpha: number;
  /** Approximate bytes stored for this run (header + chunks). */
  bytes: number;
}

/** A user's model and data set, stored so their runs can be reopened after a reload. */
export interface StoredAsset {
  id: string;
  modelName: string; modelJson: string; weightFiles: { path: string; bytes: ArrayBuffer }[];
  dataset: { meta: DatasetMeta; pixels: Uint8Array; labels: Uint8Array };
}

type Block = 'train' | 'validation';
const FULL = "The browser's storage for this site is full:";
const ADVICE = 'Delete old runs in the runs list or export this run to a file.';

export class RunStore {
  private closed = false;

  private constructor(private readonly db: IDBDatabase) {}

  static async open(factory?: IDBFactory, dbName = 'coar-explorer'): Promise<RunStore> {
    let store: RunStore | undefined;
    const db = await openDatabase(factory ?? globalThis.indexedDB, dbName, () => { if (store) store.closed = true; });
    store = new RunStore(db);
    return store;
  }

  /** Stores a new run (its header: settings, masks, base outputs; not its rows) and returns its meta. */
  async create(run: RunData, info: { name: string; source: RunSource }): Promise<StoredRunMeta> {
    const name = cleanName(info.name);
    const id = newId();
    const header = partsHeader(id, run);
    const progress: ProgressRecord = { id, train: new Uint8Array(run.train.done.length), validation: new Uint8Array(run.validation.done.length), nextSeq: 0 };
    const now = new Date().toISOString();
    const meta: StoredRunMeta = {
      id, name, createdAt: run.createdAt, updatedAt: now, source: info.source,
      modelName: run.model.name, dataName: run.data.name, status: 'sampling',
      trainDone: 0, trainTotal: run.train.done.length, validationDone: 0, validationTotal: run.validation.done.length,
      exampleCount: run.settings.examples.length, componentCount: run.componentCount, alpha: run.settings.alpha,
      bytes: headerBytes(header) + progressBytes(progress),
    };
    await this.write(['runs', 'headers', 'progress'], async (tx) => {
      tx.objectStore('headers').put(header);
      tx.objectStore('progress').put(progress);
      tx.objectStore('runs').put(meta);
    }, () => `${FULL} run "${name}" could not be saved. ${ADVICE}`);
    return meta;
  }

  /** Saves rows that became done in one chunk: one record, and the meta's counts, in ONE transaction. */
  async saveRows(id: string, block: Block, rows: number[], run: RunData): Promise<StoredRunMeta> {
    const source = run[block];
    const n = run.settings.examples.length;
    for (const r of rows) {
      check(Number.isInteger(r) && r >= 0 && r < source.done.length && source.done[r] === 1,
        `Row ${r} of the ${block} masks is not a computed row of this run, so it cannot be saved.`, 'malformed-run');
    }
    const outputs = new Float32Array(rows.length * n);
    rows.forEach((r, k) => outputs.set(source.outputs.subarray(r * n, r * n + n), k * n));
    let name = id;
    return this.write(['runs', 'progress', 'chunks'], async (tx) => {
      const meta = await readMeta(tx, id);
      name = meta.name;
      checkFits(meta, run);
      if (rows.length === 0) return meta;
      const progress = await request<ProgressRecord>(tx.objectStore('progress').get(id));
      let added = 0;
      for (const r of rows) if (!progress[block][r]) { progress[block][r] = 1; added++; }
      const chunk: ChunkRecord = { runId: id, seq: progress.nextSeq++, block, rows: Uint32Array.from(rows), outputs };
      tx.objectStore('chunks').put(chunk);
      tx.objectStore('progress').put(progress);
      if (block === 'train') meta.trainDone += added; else meta.validationDone += added;
      meta.bytes += chunkBytes(chunk);
      meta.updatedAt = new Date().toISOString();
      tx.objectStore('runs').put(meta);
      return meta;
    }, () => `${FULL} ${rows.length === 1 ? 'the last mask' : `the last ${rows.length} masks`} of run "${name}" `
      + `${rows.length === 1 ? 'was' : 'were'} not saved (everything saved before is kept). ${ADVICE}`);
  }

  setStatus(id: string, status: StoredRunStatus): Promise<StoredRunMeta> {
    return this.updateMeta(id, (meta) => { meta.status = status; meta.updatedAt = new Date().toISOString(); });
  }

  /** The whole run (with fit when present) replaces header+chunks, in one transaction; status complete. */
  async complete(id: string, run: RunData): Promise<StoredRunMeta> {
    const file = encodeRunFile(run);
    let name = id;
    return this.write(['runs', 'headers', 'progress', 'chunks'], async (tx) => {
      const meta = await readMeta(tx, id);
      name = meta.name;
      checkFits(meta, run);
      const progress = await request<ProgressRecord>(tx.objectStore('progress').get(id));
      const chunks = tx.objectStore('chunks');
      for (const key of await request(chunks.index('runId').getAllKeys(id))) chunks.delete(key);
      const stored: ProgressRecord = { id, train: run.train.done.slice(), validation: run.validation.done.slice(), nextSeq: progress.nextSeq };
      tx.objectStore('headers').put({ id, form: 'file', file } satisfies HeaderRecord);
      tx.objectStore('progress').put(stored);
      Object.assign(meta, runProgress(run), { status: 'complete', updatedAt: new Date().toISOString(), bytes: file.byteLength + progressBytes(stored) });
      tx.objectStore('runs').put(meta);
      return meta;
    }, () => `${FULL} the finished run "${name}" was not saved (everything saved before is kept). ${ADVICE}`);
  }

  /** The run rebuilt from header + chunks (rows done exactly as saved). */
  async load(id: string): Promise<{ meta: StoredRunMeta; run: RunData }> {
    const { meta, header, chunks } = await this.read(['runs', 'headers', 'chunks'], async (tx) => ({
      meta: await readMeta(tx, id),
      header: await request<HeaderRecord | undefined>(tx.objectStore('headers').get(id)),
      chunks: await request<ChunkRecord[]>(tx.objectStore('chunks').index('runId').getAll(id)),
    }));
    const damaged = (why: string) => new CoarError(`The saved run "${meta.name}" is damaged (${why}); delete it and start it again.`, 'malformed-run');
    if (!header) throw damaged('its header is missing');
    const run = header.form === 'file' ? decodeRunFile(header.file) : runFromParts(header);
    applyChunks(run, chunks, damaged);
    return { meta, run };
  }

  /** Every stored run, the most recently updated first. */
  async list(): Promise<StoredRunMeta[]> {
    const metas = await this.read(['runs'], (tx) => request<StoredRunMeta[]>(tx.objectStore('runs').getAll()));
    return metas.sort((a, b) => compare(b.updatedAt, a.updatedAt) || compare(b.createdAt, a.createdAt));
  }

  /** Renames without touching updatedAt, so the list does not reorder under the user. */
  async rename(id: string, name: string): Promise<StoredRunMeta> {
    const cleaned = cleanName(name);
    return this.updateMeta(id, (meta) => { meta.name = cleaned; });
  }

  /** Deletes the run and its chunks; the asset too when no other run uses it. */
  async delete(id: string): Promise<void> {
    await this.write(['runs', 'headers', 'progress', 'chunks', 'assets'], async (tx) => {
      const meta = await readMeta(tx, id);
      const runs = tx.objectStore('runs');
      runs.delete(id);
      tx.objectStore('headers').delete(id);
      tx.objectStore('progress').delete(id);
      const chunks = tx.objectStore('chunks');
      for (const key of await request(chunks.index('runId').getAllKeys(id))) chunks.delete(key);
      if (meta.source.kind === 'custom') {
        const users = await request(runs.index('assetId').count(meta.source.assetId));
        if (users === 0) tx.objectStore('assets').delete(meta.source.assetId);
      }
    }, () => `${FULL} the run could not be deleted. Reload the page and try again.`);
  }

  /** Stores the asset unless one with its id is already there (ids name the content). */
  async putAsset(asset: StoredAsset): Promise<void> {
    await this.write(['assets'], async (tx) => {
      const assets = tx.objectStore('assets');
      if (await request(assets.count(asset.id)) === 0) assets.put(asset);
    }, () => `${FULL} the model "${asset.modelName}" and its data set were not saved, so their runs cannot be reopened after a reload. `
      + 'Delete old runs in the runs list to make room.');
  }

  async getAsset(id: string): Promise<StoredAsset | null> {
    const asset = await this.read(['assets'], (tx) => request<StoredAsset | undefined>(tx.objectStore('assets').get(id)));
    return asset ?? null;
  }

  /** The browser's estimate for this site's storage, where it gives one. */
  async usage(): Promise<{ usage: number; quota: number } | null> {
    const storage = (globalThis.navigator as Navigator | undefined)?.storage;
    if (typeof storage?.estimate !== 'function') return null;
    try {
      const { usage = 0, quota = 0 } = await storage.estimate();
      return { usage, quota };
    } catch {
      return null;
    }
  }

  close(): void {
    this.closed = true;
    this.db.close();
  }

  private updateMeta(id: string, change: (meta: StoredRunMeta) => void): Promise<StoredRunMeta> {
    return this.write(['runs'], async (tx) => {
      const meta = await readMeta(tx, id);
      change(meta);
      tx.objectStore('runs').put(meta);
      return meta;
    }, () => `${FULL} the change to the run was not saved. ${ADVICE}`);
  }

  private async write<T>(stores: StoreName[], body: (tx: IDBTransaction) => Promise<T>, quotaMessage: () => string): Promise<T> {
    if (this.closed) throw unavailableError('the run store is closed');
    try {
      return await transact(this.db, stores, 'readwrite', body);
    } catch (e) {
      throw storageError(e, quotaMessage);
    }
  }

  private async read<T>(stores: StoreName[], body: (tx: IDBTransaction) => Promise<T>): Promise<T> {
    if (this.closed) throw unavailableError('the run store is closed');
    try {
      return await transact(this.db, stores, 'readonly', body);
    } catch (e) {
      throw storageError(e, () => `${FULL} ${ADVICE}`);
    }
  }
}

async function readMeta(tx: IDBTransaction, id: string): Promise<StoredRunMeta> {
  const meta = await request<StoredRunMeta | undefined>(tx.objectStore('runs').get(id));
  if (!meta) throw new CoarError(`There is no saved run with id "${id}" (it may have been deleted).`, 'run-not-found');
  return meta;
}

/** Refuses rows from a run other than the stored one, which would be stored under the wrong masks. */
function checkFits(meta: StoredRunMeta, run: RunData): void {
  check(run.settings.examples.length === meta.exampleCount && run.componentCount === meta.componentCount
    && run.train.done.length === meta.trainTotal && run.validation.done.length === meta.validationTotal,
  `This run does not match the saved run "${meta.name}" (different examples, components or mask counts).`, 'malformed-run');
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function cleanName(name: string): string {
  const trimmed = name.trim();
  check(trimmed.length > 0, 'A run needs a name: the name cannot be empty.', 'bad-name');
  return trimmed;
}
