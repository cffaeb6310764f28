/**
 * A model from the user: the files picked together (model.json + weight shards) or a URL.
 * Only bytes and JSON are read; nothing in the files is run as code.
 */
import { CoarError } from '../coar/errors';
import { parseModelJson } from '../coar/model-io';
import { fetchBytes, fetchText, fileBeside } from './fetch-files';
import type { ModelInput } from './protocol';
import type { ModelBytes } from './workspace';

const baseName = (path: string) => path.split('/').pop() ?? path;
const folderOf = (file: File) => (file.webkitRelativePath || '').split('/').slice(-2, -1)[0] ?? '';

export async function fetchModel(url: string): Promise<ModelBytes> {
  const json = await fetchText(url, 'the model (model.json)');
  const parsed = parseModelJson(json, url);
  const files = new Map<string, ArrayBuffer>();
  for (const group of parsed.weightsManifest) {
    for (const path of group.paths) {
      const what = `the model's weight file "${path}"`;
      files.set(path, await fetchBytes(fileBeside(path, url, what), what));
    }
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

export async function readModelFiles(files: File[]): Promise<ModelBytes> {
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
  const name = folderOf(jsonFile) || jsonFile.name.replace(/\.json$/i, '');
  return { name: name === 'model' ? 'your model' : name, json, files: weights };
}

export async function readModelInput(input: ModelInput): Promise<ModelBytes> {
  if (input.kind === 'url') {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw new CoarError(`"${input.url}" is not a web address: give the full URL of a model.json (https://…/model.json).`, 'bad-url');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new CoarError(`Only http(s) addresses can be loaded (got ${url.protocol}).`, 'bad-url');
    return fetchModel(url.href);
  }
  if (input.files.length === 0) throw new CoarError('No files were picked: pick model.json and its weight files.', 'missing-model');
  return readModelFiles(input.files);
}
