/**
 * A model from the user: the files picked together (model.json + weight shards) or a URL.
 * Only bytes and JSON are read; nothing in the files is run as code.
 */
import { CoarError } from '../../coar/errors';
import { LIMITS } from '../../coar/limits';
import { parseModelJson } from '../../coar/model-io';
import { printable } from '../../coar/printable';
import { allowUserOrigin, fetchBytes, fetchText, fileBeside } from './fetch-files';
import { checkHttpUrl } from './url-rules';
import type { ModelInput } from '../protocol/protocol';
import type { ModelBytes } from './workspace';

const baseName = (path: string) => path.split('/').pop() ?? path;
const folderOf = (file: File) => (file.webkitRelativePath || '').split('/').slice(-2, -1)[0] ?? '';

/**
 * A model.json and its weight files from `url`. parseModelJson judges the weight list before any
 * request (paths beside it, each listed once, count and declared bytes within LIMITS); the bytes
 * actually read are bounded by LIMITS.weightBytes in all.
 */
export async function fetchModel(url: string): Promise<ModelBytes> {
  const json = await fetchText(url, 'the model (model.json)', LIMITS.jsonBytes);
  const parsed = parseModelJson(json, url);
  const targets = parsed.weightsManifest.flatMap((group) => group.paths).map((path) => ({ path, url: fileBeside(path, url, "the model's weight file") }));
  const files = new Map<string, ArrayBuffer>();
  let read = 0;
  for (const { path, url: fileUrl } of targets) {
    const bytes = await fetchBytes(fileUrl, `the model's weight file "${printable(path)}"`, LIMITS.weightBytes - read);
    read += bytes.byteLength;
    files.set(path, bytes);
  }
  const name = new URL('.', url).pathname.split('/').filter(Boolean).pop() ?? 'model';
  return { name, json, files };
}

/** Which picked file is model.json: the one so named, else the only .json file. */
function findModelJson(files: File[]): File {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  const named = jsons.find((f) => f.name === 'model.json');
  if (named) return named;
  if (jsons.length === 1) return jsons[0];
  if (jsons.length === 0) {
    throw new CoarError(`None of the picked files is a model.json (picked: ${files.map((f) => f.name).join(', ') || 'nothing'}). Pick model.json and its weight files together.`, 'missing-model');
  }
  throw new CoarError(`Several .json files were picked (${jsons.map((f) => f.name).join(', ')}) and none is named model.json: pick one model at a time.`, 'missing-model');
}

export async function readModelFiles(files: File[], folder?: string): Promise<ModelBytes> {
  const jsonFile = findModelJson(files);
  const json = await jsonFile.text();
  const parsed = parseModelJson(json, jsonFile.name);
  const byName = new Map(files.map((f) => [f.name, f]));
  const weights = new Map<string, ArrayBuffer>();
  for (const group of parsed.weightsManifest) {
    for (const path of group.paths) {
      const file = byName.get(baseName(path));
      if (!file) {
        const picked = files.filter((f) => f !== jsonFile).map((f) => f.name);
        throw new CoarError(`${jsonFile.name} lists the weight file "${path}", which is not among the picked files (${picked.length ? `picked: ${picked.join(', ')}` : 'only the model.json was picked'}). Pick model.json and all its weight files together.`, 'missing-weights');
      }
      weights.set(path, await file.arrayBuffer());
    }
  }
  // Named after its folder, else its file (a plain model.json keeps its full file name).
  const stem = jsonFile.name.replace(/\.json$/i, '');
  const name = folder || folderOf(jsonFile) || (stem.toLowerCase() === 'model' ? jsonFile.name : stem);
  return { name, json, files: weights };
}

export async function readModelInput(input: ModelInput): Promise<ModelBytes> {
  if (input.kind === 'url') {
    // The user typed (or confirmed) this address: its site may be asked, and no other.
    const url = checkHttpUrl(input.url, 'a model.json');
    allowUserOrigin(url);
    return fetchModel(url);
  }
  if (input.files.length === 0) throw new CoarError('No files were picked: pick model.json and its weight files.', 'missing-model');
  return readModelFiles(input.files, typeof input.folder === 'string' ? printable(input.folder).slice(0, 200) : undefined);
}
