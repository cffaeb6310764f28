import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { CoarError } from '../../src/coar/errors';
import { newRun, runProgress, type RunData } from '../../src/coar/runfile';
import { RunStore, type StoredAsset } from '../../src/worker/storage/run-store';

import { emptyRun, computeRows, range, N, n, SETTINGS } from '../helpers/synthetic-run';
const PRESET = { kind: 'preset', preset: 'fashion-resnet' } as const;
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

const settle = <T,>(req: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
  req.onsuccess = () => resolve(req.result);
  req.onerror = () => reject(req.error);
});

/** Every record of one object store, read behind the store's back. */
async function rawRecords(factory: IDBFactory, store: string): Promise<any[]> {
  const db = await settle(factory.open('coar-explorer'));
  const all = await settle(db.transaction(store).objectStore(store).getAll());
  db.close();
  return all;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(CoarError);
  return (error as CoarError).code;
}

function expectSameRows(loaded: RunData, expected: RunData): void {
  for (const block of ['train', 'validation'] as const) {
    expect(Array.from(loaded[block].done)).toEqual(Array.from(expected[block].done));
    expect(loaded[block].outputs).toEqual(expected[block].outputs);
    expect(loaded[block].masks).toEqual(expected[block].masks);
  }
  expect(loaded.labels).toEqual(expected.labels);
  expect(loaded.baseOutputs).toEqual(expected.baseOutputs);
  expect(loaded.settings).toEqual(expected.settings);
}

afterEach(() => { vi.restoreAllMocks(); });

describe('RunStore', () => {
  it('saves chunks as they come and rebuilds the run exactly, after a reopen too', async () => {
    const factory = new IDBFactory();
    let store = await RunStore.open(factory);
    const run = emptyRun();
    const created = await store.create(run, { name: '  Fashion run  ', source: PRESET });
    expect(created).toMatchObject({
      name: 'Fashion run', status: 'sampling', modelName: 'resnet-cifar', dataName: 'cifar10-test',
      trainDone: 0, trainTotal: 24, validationDone: 0, validationTotal: 8, exampleCount: 5, componentCount: 70, alpha: 0.1,
    });
    // The header holds masks and base outputs, not the (still zero) output rows.
    const [header] = await rawRecords(factory, 'headers');
    expect(header.form).toBe('parts');
    expect(Object.values(header).filter((v) => v instanceof Float32Array).map((v: any) => v.length)).toEqual([n]);
    expect(created.bytes).toBeLessThan(24 * n * 4 + 24 * 3 * 4 + 8 * 3 * 4 + 2000);

    await store.saveRows(created.id, 'train', computeRows(run.train, range(0, 6)), run);
    await store.saveRows(created.id, 'validation', computeRows(run.validation, [0, 1, 2]), run);
    // Row 5 again: stored twice, counted once.
    const meta = await store.saveRows(created.id, 'train', computeRows(run.train, range(5, 12)), run);
    expect(meta).toMatchObject({ trainDone: 12, validationDone: 3 });
    expect(meta.bytes).toBeGreaterThan(created.bytes + 16 * n * 4);
    expect(runProgress(run)).toMatchObject({ trainDone: 12, validationDone: 3 });
    expect((await rawRecords(factory, 'chunks')).map((c) => [c.seq, c.block, c.rows.length])).toEqual([[0, 'train', 6], [1, 'validation', 3], [2, 'train', 7]]);

    store.close();
    store = await RunStore.open(factory);
    const loaded = await store.load(created.id);
    expectSameRows(loaded.run, run);
    expect(loaded.run.train.outputs[7 * n + 2]).not.toBe(0);
    expect(loaded.meta).toEqual(meta);
    store.close();
  });

  it('complete() replaces header and chunks with the whole run, fit included', async () => {
    const factory = new IDBFactory();
    const store = await RunStore.open(factory);
    const run = emptyRun();
    const { id } = await store.create(run, { name: 'run', source: PRESET });
    await store.saveRows(id, 'train', computeRows(run.train, range(0, 10)), run);
    computeRows(run.train, range(10, 24));
    computeRows(run.validation, range(0, 8));
    const fitted: RunData = { ...run, fit: { weights: Float32Array.from({ length: n * N }, (_, k) => Math.cos(k) / 3), bias: Float32Array.from([0.5, -1, 0, 2, 0.25]), lambda: 0.03, validationCorrelation: 0.8125 } };
    const meta = await store.complete(id, fitted);
    expect(meta).toMatchObject({ status: 'complete', trainDone: 24, validationDone: 8 });
    expect(await rawRecords(factory, 'chunks')).toEqual([]);
    const loaded = await store.load(id);
    expectSameRows(loaded.run, fitted);
    expect(loaded.run.fit).toEqual(fitted.fit);
    expect((await store.list())[0].status).toBe('complete');
    store.close();
  });

  it('lists newest first, renames, and deletes runs with their chunks and unused assets', async () => {
    const factory = new IDBFactory();
    const store = await RunStore.open(factory);
    const meta = { format: 'coar-images-v1', name: 'mine', count: 2, height: 1, width: 2, channels: 1, classNames: ['a', 'b'], normalize: { mean: [0], std: [1] } as any, images: 'x.bin', labels: 'y.bin' } as const;
    const asset: StoredAsset = { id: 'model-fp+data-fp', modelName: 'my-net', modelJson: '{"format":"layers-model"}',
      weightFiles: [{ path: 'group1-shard1of1.bin', bytes: Float32Array.from([1.5, -2]).buffer }],
      dataset: { meta: { ...meta, classNames: [...meta.classNames] }, pixels: Uint8Array.from([1, 2, 3, 4]), labels: Uint8Array.from([0, 1]) } };
    await store.putAsset(asset);
    await store.putAsset(asset);
    expect(await store.getAsset(asset.id)).toEqual(asset);
    expect(await store.getAsset('other')).toBeNull();
    const custom = { kind: 'custom', assetId: asset.id } as const;

    const runA = emptyRun();
    const a = await store.create(runA, { name: 'A', source: custom });
    await pause();
    const b = await store.create(emptyRun(), { name: 'B', source: custom });
    await pause();
    const c = await store.create(emptyRun(), { name: 'C', source: PRESET });
    expect((await store.list()).map((m) => m.name)).toEqual(['C', 'B', 'A']);
    await pause();
    await store.saveRows(a.id, 'train', computeRows(runA.train, [0, 1]), runA);
    expect((await store.list()).map((m) => m.name)).toEqual(['A', 'C', 'B']);

    expect((await store.rename(b.id, '  Better name ')).name).toBe('Better name');
    expect(await codeOf(store.rename(b.id, '   '))).toBe('bad-name');
    expect(await codeOf(store.rename('no-such-id', 'x'))).toBe('run-not-found');
    expect((await store.list()).map((m) => m.name)).toEqual(['A', 'C', 'Better name']);

    await store.delete(a.id);
    expect(await rawRecords(factory, 'chunks')).toEqual([]);
    expect(await codeOf(store.load(a.id))).toBe('run-not-found');
    expect(await store.getAsset(asset.id)).not.toBeNull(); // B still uses it
    await store.delete(b.id);
    expect(await store.getAsset(asset.id)).toBeNull();
    expect((await store.list()).map((m) => m.id)).toEqual([c.id]);
    expect(await codeOf(store.delete(a.id))).toBe('run-not-found');
    expect(await codeOf(store.setStatus(a.id, 'stopped'))).toBe('run-not-found');
    expect((await store.setStatus(c.id, 'stopped')).status).toBe('stopped');
    expect(await codeOf(store.create(emptyRun(), { name: ' ', source: PRESET }))).toBe('bad-name');
    store.close();
  });

  it('refuses rows that are not computed, and rows of another run', async () => {
    const store = await RunStore.open(new IDBFactory());
    const run = emptyRun();
    const { id } = await store.create(run, { name: 'run', source: PRESET });
    expect(await codeOf(store.saveRows(id, 'train', [3], run))).toBe('malformed-run');
    const other = newRun({ ...emptyRun(), settings: { ...SETTINGS, trainMasks: 20 } });
    computeRows(other.train, [0]);
    expect(await codeOf(store.saveRows(id, 'train', [0], other))).toBe('malformed-run');
    expect((await store.load(id)).meta.trainDone).toBe(0);
    store.close();
  });

  type Put = typeof IDBObjectStore.prototype.put;
  const quotaCases = {
    'put throws': (_put: Put, _self: IDBObjectStore, _value: unknown): IDBRequest => { throw new DOMException('Quota exceeded.', 'QuotaExceededError'); },
    'transaction aborts': (put: Put, self: IDBObjectStore, value: unknown) => {
      const req = put.call(self, value);
      (self.transaction as any)._abort('QuotaExceededError'); // as a browser does when the commit does not fit
      return req;
    },
  };
  for (const [how, failingPut] of Object.entries(quotaCases)) {
    it(`reports a full storage (${how}) and keeps the chunks saved before`, async () => {
      const K = 2;
      const store = await RunStore.open(new IDBFactory());
      const run = emptyRun();
      const { id } = await store.create(run, { name: 'Big run', source: PRESET });
      const realPut = IDBObjectStore.prototype.put;
      let chunkPuts = 0;
      vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        if (this.name === 'chunks' && ++chunkPuts > K) return failingPut(realPut, this, value);
        return realPut.call(this, value, key);
      });
      for (let k = 0; k < K; k++) await store.saveRows(id, 'train', computeRows(run.train, range(3 * k, 3 * k + 3)), run);
      const [saved, savedOutputs] = [run.train.done.slice(), run.train.outputs.slice()];

      const error = await store.saveRows(id, 'train', computeRows(run.train, range(6, 10)), run).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CoarError);
      expect(error).toMatchObject({ code: 'storage-full', message: 'The browser\'s storage for this site is full: the last 4 masks of run "Big run" were not saved '
        + '(everything saved before is kept). Delete old runs in the runs list or export this run to a file.' });

      vi.restoreAllMocks();
      const loaded = await store.load(id);
      expect(loaded.meta.trainDone).toBe(3 * K);
      expect(Array.from(loaded.run.train.done)).toEqual(Array.from(saved));
      expect(loaded.run.train.outputs).toEqual(savedOutputs);
      // Once there is room again, the store carries on.
      expect((await store.saveRows(id, 'train', range(6, 10), run)).trainDone).toBe(10);
      store.close();
    });
  }

  it('reports other storage failures with their message', async () => {
    const store = await RunStore.open(new IDBFactory());
    const run = emptyRun();
    const { id } = await store.create(run, { name: 'run', source: PRESET });
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => { throw new DOMException('Disk on fire.', 'UnknownError'); });
    const error = await store.saveRows(id, 'train', computeRows(run.train, [0]), run).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'storage-failed', message: expect.stringContaining('Disk on fire.') });
    store.close();
  });

  it('says so when IndexedDB is unavailable or the store is closed', async () => {
    expect(globalThis.indexedDB).toBeUndefined();
    expect(await codeOf(RunStore.open())).toBe('storage-unavailable');
    const refusing = { open() { throw new DOMException('The operation is insecure.', 'SecurityError'); } } as unknown as IDBFactory;
    expect(await codeOf(RunStore.open(refusing))).toBe('storage-unavailable');
    const store = await RunStore.open(new IDBFactory());
    store.close();
    expect(await codeOf(store.list())).toBe('storage-unavailable');
    expect(await codeOf(store.create(emptyRun(), { name: 'run', source: PRESET }))).toBe('storage-unavailable');
    expect(await store.usage()).toBeNull();
  });
});
