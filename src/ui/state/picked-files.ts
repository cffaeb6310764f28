/**
 * Files the user picked or dropped, with their paths inside the picked folder (folder labels
 * read them), and which of them belong to a model (model.json + weight shards) or to images.
 */

export interface PickedFile {
  path: string;
  file: File;
  /** The picked or dropped folder it came from (its name was taken off `path`), if any. */
  root?: string;
}

/** Paths relative to the picked folder: a folder picker and a dropped folder both name the folder itself first. */
export function withoutCommonRoot(files: PickedFile[]): PickedFile[] {
  const clean = files.map((f) => ({ ...f, path: f.path.replace(/\\/g, '/').replace(/^\/+/, '') }));
  const roots = new Set(clean.map((f) => (f.path.includes('/') ? f.path.slice(0, f.path.indexOf('/')) : null)));
  if (roots.size !== 1 || roots.has(null)) return clean;
  return clean.map((f) => ({ ...f, path: f.path.slice(f.path.indexOf('/') + 1), root: f.path.slice(0, f.path.indexOf('/')) }));
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

/** Names (any case) read as the label CSV and as the class-name list when they come with the images. */
export const LABEL_CSV_NAMES: readonly string[] = ['labels.csv'];
export const CLASS_NAMES_FILES: readonly string[] = ['classes.txt', 'class_names.txt'];

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1).toLowerCase();
const depth = (path: string) => path.split('/').length;

/** The picked file with one of `names`, the one nearest the folder's top first; null when none. */
function named(files: PickedFile[], names: readonly string[]): PickedFile | null {
  const hits = files.filter((f) => names.includes(baseName(f.path)));
  return hits.sort((a, b) => depth(a.path) - depth(b.path))[0] ?? null;
}

/**
 * Splits picked files into model files (when `withModel`: model.json and weight shards), the label
 * CSV and class-names file (only by their recognised names), and images (with the bundled format's
 * files). Other files go with the images; the worker skips what is not an image and says so.
 */
export function sortPicked(files: PickedFile[], withModel: boolean) {
  const model = withModel ? files.filter((f) => isModelFile(f.path)) : [];
  const rest = files.filter((f) => !model.includes(f));
  const csv = named(rest, LABEL_CSV_NAMES);
  const classNames = named(rest, CLASS_NAMES_FILES);
  return { model, csv, classNames, images: rest.filter((f) => f !== csv && f !== classNames) };
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
