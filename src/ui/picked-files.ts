/**
 * Files the user picked or dropped, with their paths inside the picked folder (folder labels
 * read them), and which of them belong to a model (model.json + weight shards) or to images.
 */

export interface PickedFile {
  path: string;
  file: File;
}

/** Paths relative to the picked folder: a folder picker and a dropped folder both name the folder itself first. */
export function withoutCommonRoot(files: PickedFile[]): PickedFile[] {
  const clean = files.map((f) => ({ ...f, path: f.path.replace(/\\/g, '/').replace(/^\/+/, '') }));
  const roots = new Set(clean.map((f) => (f.path.includes('/') ? f.path.slice(0, f.path.indexOf('/')) : null)));
  if (roots.size !== 1 || roots.has(null)) return clean;
  return clean.map((f) => ({ ...f, path: f.path.slice(f.path.indexOf('/') + 1) }));
}

/** Files from an <input type=file> (webkitRelativePath is set when a folder was picked). */
export function fromInput(list: FileList | null): PickedFile[] {
  return withoutCommonRoot([...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file })));
}

const extension = (name: string) => name.slice(name.lastIndexOf('.') + 1).toLowerCase();

/** model.json and .bin weight shards; a data set's own dataset.json is not a model. */
export function isModelFile(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  return extension(base) === 'bin' || (extension(base) === 'json' && base !== 'dataset.json');
}

export const isCsv = (name: string) => extension(name) === 'csv';
export const isText = (name: string) => extension(name) === 'txt';

/**
 * Splits picked files into model files (when `withModel`: model.json and weight shards), a label
 * CSV, a class-names text file, and images (with the bundled format's files).
 */
export function sortPicked(files: PickedFile[], withModel: boolean) {
  const model = withModel ? files.filter((f) => isModelFile(f.path)) : [];
  const rest = files.filter((f) => !model.includes(f));
  return {
    model,
    csv: rest.find((f) => isCsv(f.path)) ?? null,
    classNames: rest.find((f) => isText(f.path)) ?? null,
    images: rest.filter((f) => !isCsv(f.path) && !isText(f.path)),
  };
}

async function walk(entry: FileSystemEntry, out: PickedFile[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((ok, fail) => (entry as FileSystemFileEntry).file(ok, fail));
    out.push({ path: entry.fullPath, file });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (about 100 at a time) until it answers an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return;
    for (const child of batch) await walk(child, out);
  }
}

/** Dropped files and folders (folders are walked, keeping paths). Reads the items at once: they vanish after the drop event. */
export async function fromDrop(transfer: DataTransfer): Promise<PickedFile[]> {
  const entries = [...transfer.items]
    .map((item) => (item.kind === 'file' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return [...transfer.files].map((file) => ({ path: file.name, file }));
  const out: PickedFile[] = [];
  for (const entry of entries) await walk(entry, out);
  return withoutCommonRoot(out);
}
