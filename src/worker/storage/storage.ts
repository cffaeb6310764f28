/**
 * The worker's handle on the browser's storage (IndexedDB), opened on first use. Storage can be
 * missing (private windows, blocked cookies) or full; then work goes on unsaved and the page is
 * told once, in words.
 */
import { CoarError } from '../../coar/errors';
import { RunStore, type StoredAsset } from './run-store';
import type { WorkerEvent } from '../protocol/protocol';
import type { Workspace } from '../workspace/workspace';

let opened: Promise<RunStore> | null = null;

export function runStore(): Promise<RunStore> {
  if (!opened) {
    opened = RunStore.open();
    opened.catch(() => { opened = null; });
  }
  return opened;
}

/** The store, or null (after one warning) when the browser offers none. */
export async function runStoreOrWarn(onEvent: (e: WorkerEvent) => void, what: string): Promise<RunStore | null> {
  try {
    return await runStore();
  } catch (e) {
    onEvent({ type: 'warning', code: 'storage-unavailable', message: `${what} cannot be saved in this browser (${(e as Error).message}); export it to a file to keep it.` });
    return null;
  }
}

/** The user's model and data, stored under an id made of their fingerprints, so their runs reopen after a reload. */
export function assetIdOf(ws: Workspace): string {
  return `${ws.fingerprints.model}:${ws.fingerprints.data}`;
}

export async function storeAsset(ws: Workspace, onEvent: (e: WorkerEvent) => void): Promise<void> {
  const store = await runStoreOrWarn(onEvent, 'Your model and data');
  if (!store) return;
  const { meta, pixels, labels } = ws.data;
  const asset: StoredAsset = {
    id: assetIdOf(ws),
    modelName: ws.modelBytes.name,
    modelJson: ws.modelBytes.json,
    weightFiles: [...ws.modelBytes.files].map(([path, bytes]) => ({ path, bytes })),
    dataset: { meta, pixels, labels },
  };
  try {
    await store.putAsset(asset);
  } catch (e) {
    const message = e instanceof CoarError && e.code === 'storage-full'
      ? "The browser's storage for this site is full, so your model and data were not saved: runs on them will not survive a reload. Delete old runs in the runs list to make room."
      : `Your model and data could not be saved in the browser (${(e as Error).message}): runs on them will not survive a reload.`;
    onEvent({ type: 'warning', code: e instanceof CoarError ? e.code : 'storage-failed', message });
  }
}
