/**
 * Hostile files against the engine (and the Node adapter that reads models): each refused early,
 * with its message and code, before the memory or the request it would cost. Limits: docs/LIMITS.md.
 */
import type { ServerResponse } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatasetMeta } from '../../src/coar/dataset';
import { CoarError } from '../../src/coar/errors';
import { decodeImage } from '../../src/coar/image-decode';
import { LIMITS } from '../../src/coar/limits';
import { loadLayersModelFromFiles, modelToFiles, parseModelJson } from '../../src/coar/model-io';
import { printable } from '../../src/coar/printable';
import { checkRunMatches } from '../../src/coar/run-merge';
import { decodeRunFile, encodeRunFile, type RunData } from '../../src/coar/runfile';
import { parseJsonWithinLimits } from '../../src/coar/safe-json';
import { checkRelativePath } from '../../src/coar/safe-paths';
import { loadModel } from '../../src/node/files';
import { rewriteRunHeader } from '../helpers/run-header';
import { LocalServers } from '../helpers/local-servers';
import { pngBomb } from '../helpers/png-bomb';
import { computeRows, emptyRun, LAYERS, N, n, range } from '../helpers/synthetic-run';

/** The CoarError `f` throws (sync or async), checked against `message` and `code`. */
async function refusedWith(f: () => unknown, message: RegExp, code: string): Promise<CoarError> {
  let error: unknown;
  try {
    await f();
  } catch (e) {
    error = e;
  }
  expect(error, 'expected a refusal').toBeInstanceOf(CoarError);
  expect((error as CoarError).message).toMatch(message);
  expect((error as CoarError).code).toBe(code);
  return error as CoarError;
}

const model = () => tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 2, name: 'logits' })] });

/** A real model.json whose weightsManifest is replaced by `manifest`. */
async function modelJsonWith(manifest: unknown): Promise<string> {
  const files = await modelToFiles(model());
  return JSON.stringify({ ...JSON.parse(files.modelJson), weightsManifest: manifest });
}

const oneWeight = (paths: string[], shape = [3, 2]) => [{ paths, weights: [{ name: 'logits/kernel', shape, dtype: 'float32' }] }];

describe('weight paths stay beside their model.json', () => {
  it.each([
    ['../../../../etc/passwd', /"\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is refused: it climbs out of its folder with "\.\."/],
    ['/etc/passwd', /"\/etc\/passwd" is refused: it is an absolute path/],
    ['//evil.example/w.bin', /"\/\/evil\.example\/w\.bin" is refused: it names another host \(it starts with \/\/\)/],
    ['https://other.example/w.bin', /"https:\/\/other\.example\/w\.bin" is refused: it names a scheme or drive/],
    ['file:///etc/passwd', /"file:\/\/\/etc\/passwd" is refused: it names a scheme or drive/],
    ['C:/Windows/w.bin', /"C:\/Windows\/w\.bin" is refused: it names a scheme or drive/],
    ['..\\..\\w.bin', /is refused: it holds a backslash/],
    ['shards/../../w.bin', /"shards\/\.\.\/\.\.\/w\.bin" is refused: it climbs out of its folder/],
    ['%2e%2e/%2e%2e/etc/passwd', /"%2e%2e\/%2e%2e\/etc\/passwd" is refused: it climbs out of its folder/],
    ['%252e%252e%252fsecret.bin', /"%252e%252e%252fsecret\.bin" is refused: it climbs out of its folder/],
    ['%2F%2Fevil.example%2Fw.bin', /is refused: it names another host/],
    ['w\u0000.bin', /"w\\x00\.bin" is refused: it holds control or direction-changing characters/],
    ['evil\u202egnp.bin', /"evil\\u202egnp\.bin" is refused: it holds control or direction-changing characters/],
  ])('refuses %j before reading any file', async (path, message) => {
    const reads: string[] = [];
    const text = await modelJsonWith(oneWeight([path]));
    const e = await refusedWith(() => loadLayersModelFromFiles(text, async (p) => { reads.push(p); return new ArrayBuffer(24); }), message, 'unsafe-path');
    expect(e.message).toMatch(/^Weight file listed in model\.json ".*" is refused: .*\. Files named inside a file must sit in its folder or below it \(docs\/LIMITS\.md\)\.$/);
    expect(reads).toEqual([]);
  });

  it('the same rule is one engine function, checkRelativePath, that accepts plain relative paths', () => {
    expect(checkRelativePath('group1-shard1of2.bin', 'Weight file')).toBe('group1-shard1of2.bin');
    expect(checkRelativePath('./shards/w.bin', 'Weight file')).toBe('./shards/w.bin');
    expect(() => checkRelativePath('', 'Weight file')).toThrow(/"" is refused: it is not a non-empty text/);
  });

  it('a local model.json naming ../../../../etc/passwd is refused by the Node loader, which never reads it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'coar-hostile-'));
    writeFileSync(join(dir, 'model.json'), await modelJsonWith(oneWeight(['../../../../etc/passwd'])));
    await refusedWith(() => loadModel(join(dir, 'model.json')), /^Weight file listed in .*model\.json "\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd" is refused: it climbs out of its folder/, 'unsafe-path');
  });
});

describe('a weights manifest is judged before any file is read', () => {
  it('20,000 copies of one path: over the weight-file limit, nothing read', async () => {
    const reads: string[] = [];
    const text = await modelJsonWith(oneWeight(Array(20_000).fill('w.bin')));
    await refusedWith(() => loadLayersModelFromFiles(text, async (p) => { reads.push(p); return new ArrayBuffer(24); }),
      /^model\.json lists 20,000 weight files, over the limit of 1,000 \(docs\/LIMITS\.md\)\.$/, 'too-large');
    expect(reads).toEqual([]);
  });

  it('one path listed twice', async () => {
    await refusedWith(async () => parseModelJson(await modelJsonWith(oneWeight(['w.bin', 'x.bin', 'w.bin']))),
      /^model\.json lists the weight file "w\.bin" more than once: each file may be listed once\.$/, 'malformed-model');
  });

  it('more bytes declared than the weight limit (40 GB in one shape)', async () => {
    await refusedWith(async () => parseModelJson(await modelJsonWith(oneWeight(['w.bin'], [100_000, 100_000]))),
      /^model\.json declares 40,000,000,000 bytes of weights, over the limit of 1,048,576,000 bytes \(docs\/LIMITS\.md\)\.$/, 'too-large');
  });

  it('a negative or fractional shape cannot lower the declared total', async () => {
    await refusedWith(async () => parseModelJson(await modelJsonWith(oneWeight(['w.bin'], [-3, 2]))),
      /^model\.json: weight "logits\/kernel" needs a shape of non-negative whole numbers\.$/, 'malformed-model');
  });
});

describe('JSON descriptions: size and nesting depth checked before JSON.parse', () => {
  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

  it('a model topology of 100,000 nested arrays: a message, not a stack overflow', async () => {
    const text = `{"modelTopology": ${nested(100_000)}, "weightsManifest": []}`;
    await refusedWith(() => parseModelJson(text, 'deep/model.json'),
      /^deep\/model\.json nests arrays\/objects deeper than 100 levels \(at character \d+\): no real file does; it is refused \(docs\/LIMITS\.md\)\.$/, 'malformed-model');
  });

  it('nested objects count too, and brackets inside strings do not', async () => {
    let deep = '1';
    for (let i = 0; i < 200; i++) deep = `{"a":${deep}}`;
    await refusedWith(() => parseJsonWithinLimits(deep, 'x.json', 'malformed-model'), /^x\.json nests arrays\/objects deeper than 100 levels/, 'malformed-model');
    expect(parseJsonWithinLimits(`{"s": "${'['.repeat(500)}\\"${'{'.repeat(500)}"}`, 'ok.json', 'malformed-model')).toHaveProperty('s');
  });

  it('a dataset.json nested 100,000 deep', async () => {
    await refusedWith(() => parseDatasetMeta(`{"format": "coar-images-v1", "x": ${nested(100_000)}}`),
      /^dataset\.json nests arrays\/objects deeper than 100 levels/, 'malformed-data');
  });

  it('a model.json over the size limit', async () => {
    await refusedWith(() => parseModelJson(' '.repeat(LIMITS.jsonBytes + 1)),
      /^model\.json is 67,108,865 characters long, over the limit of 67,108,864 for a JSON description \(docs\/LIMITS\.md\)\.$/, 'malformed-model');
  });

  it('a dataset.json whose images file is outside its folder', async () => {
    const meta = { format: 'coar-images-v1', name: 'x', count: 1, height: 1, width: 1, channels: 1, classNames: ['a', 'b'], normalize: '0-1', images: '../../secret.u8', labels: 'labels.u8' };
    await refusedWith(() => parseDatasetMeta(JSON.stringify(meta)),
      /^The images file named in dataset\.json "\.\.\/\.\.\/secret\.u8" is refused: it climbs out of its folder/, 'unsafe-path');
  });
});

/** A real 8×8 JPEG whose start-of-frame is rewritten to declare height × width. */
function jpegDeclaring(height: number, width: number): Uint8Array {
  const small = new Uint8Array(jpeg.encode({ data: new Uint8Array(8 * 8 * 4).fill(128), width: 8, height: 8 }, 90).data);
  const sof = small.findIndex((b, i) => b === 0xff && small[i + 1] === 0xc0);
  small.set([height >> 8, height & 0xff, width >> 8, width & 0xff], sof + 5);
  return small;
}

describe('images: the pixel limit is read from the header, before anything is inflated', () => {
  it('a 12000×12000 PNG bomb is refused at once, without allocating its pixels', async () => {
    const bomb = pngBomb(12_000);
    expect(bomb.length).toBeLessThan(200_000);
    const before = process.memoryUsage();
    const started = performance.now();
    await refusedWith(() => decodeImage('cats/bomb.png', bomb),
      /^Image "cats\/bomb\.png" is 12000×12000 \(144 megapixels\), over the limit of 40 megapixels per image \(docs\/LIMITS\.md\): shrink it first/, 'malformed-image');
    expect(performance.now() - started).toBeLessThan(500);
    const after = process.memoryUsage();
    // Decoding would have needed 576 MB of RGBA (and 18 MB of inflated rows) first.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(16 * 2 ** 20);
    expect(after.rss - before.rss).toBeLessThan(100 * 2 ** 20);
  });

  it('a 9000×9000 JPEG (under the decoder\'s old 100-megapixel default) is refused by the same limit', async () => {
    await refusedWith(() => decodeImage('dogs/big.jpg', jpegDeclaring(9000, 9000)),
      /^Image "dogs\/big\.jpg" is 9000×9000 \(81 megapixels\), over the limit of 40 megapixels per image/, 'malformed-image');
  });

  it('a PNG just over the limit (7000×7000) is refused, one under it is not judged too large', async () => {
    await refusedWith(() => decodeImage('wide.png', pngBomb(7000)), /is 7000×7000 \(49 megapixels\), over the limit of 40 megapixels/, 'malformed-image');
    expect(decodeImage('small.png', pngBomb(64))).toMatchObject({ width: 64, height: 64 });
  });
});

describe('file names are printed safely', () => {
  it('terminal escape codes in an image file name are shown escaped, not sent to the terminal', async () => {
    const e = await refusedWith(() => decodeImage('\u001b[2J\u001b]0;pwned\u0007cat.png', new Uint8Array(0)),
      /^Image "\\x1b\[2J\\x1b\]0;pwned\\x07cat\.png" is an empty file \(0 bytes\)\.$/, 'malformed-image');
    expect(e.message).not.toMatch(/[\u0000-\u001f]/);
  });

  it('bidirectional overrides and C1 controls in a weight path are escaped', async () => {
    const text = await modelJsonWith(oneWeight(['evil\u202egnp.bin', 'w\u009b.bin']));
    const e = await refusedWith(async () => parseModelJson(text, 'm\u001b[31m/model.json'), /^Weight file listed in m\\x1b\[31m\/model\.json "evil\\u202egnp\.bin" is refused: it holds control or direction-changing characters/, 'unsafe-path');
    expect(e.message).not.toMatch(/[\u001b\u202e\u009b]/);
    expect(printable('w\u009b.bin\u2028')).toBe('w\\x9b.bin\\u2028');
  });

  it('a CSV label name with an escape code is escaped in the refusal', async () => {
    const { parseLabelCsv } = await import('../../src/coar/image-labels');
    const e = await refusedWith(() => parseLabelCsv('a.png,cat\n\u001b[5ma.png,dog\n\u001b[5ma.png,dog\n'),
      /^Label CSV line 3: "\\x1b\[5ma\.png" already has a row \(line 2\)\.$/, 'malformed-csv');
    expect(e.message).not.toContain('\u001b');
  });
});

/** `run` encoded, its header rewritten as text by `edit`, then decoded. */
const decodeWithHeader = (run: RunData, edit: (header: string) => string): RunData => decodeRunFile(rewriteRunHeader(encodeRunFile(run), edit));

describe('run files: forged headers are refused', () => {
  it.each([
    ['an unknown ablation', '"ablation":"explode"', /^The run file's setting "ablation" is "explode", not one of zero-weights, zero-output, mean: the file is corrupt or from elsewhere\.$/],
    ['an unknown output', '"output":"probability"', /^The run file's setting "output" is "probability", not one of margin, logit, logprob/],
    ['an unknown sampling mode', '"sampling":"sobol"', /^The run file's setting "sampling" is "sobol", not one of bernoulli, exact/],
    ['an unknown score source', '"scores":"raw"', /^The run file's setting "scores" is "raw", not one of as-is, before-activation, log/],
    ['an ablation that is not text', '"ablation":{"constructor":1}', /^The run file's setting "ablation" is \{"constructor":1\}, not one of/],
    ['an infinite alpha (1e999)', '"alpha":1e999', /^The run file's setting "alpha" must be a number strictly between 0 and 1 \(got null\)\.$/],
    ['a NaN alpha (written as null)', '"alpha":null', /^The run file's setting "alpha" must be a number strictly between 0 and 1 \(got null\)\.$/],
    ['an alpha of 5', '"alpha":5', /^The run file's setting "alpha" must be a number strictly between 0 and 1 \(got 5\)\.$/],
    ['an infinite seed', '"seed":-1e999', /^The run file's setting "seed" must be a finite number \(got null\)\.$/],
    ['a seed that is text', '"seed":"7"', /^The run file's setting "seed" must be a finite number \(got "7"\)\.$/],
  ])('%s', async (_what, patch, message) => {
    // JSON keeps the last of two equal keys, so the patch placed first is overridden: replace instead.
    const key = patch.slice(1, patch.indexOf('"', 1));
    await refusedWith(() => decodeWithHeader(emptyRun(), (h) => h.replace(new RegExp(`"${key}":("[^"]*"|[^,}]*)`), patch)), message, 'malformed-run');
  });

  it('more masks than the limit', async () => {
    await refusedWith(() => decodeWithHeader(emptyRun(), (h) => h.replace('"trainMasks":24', '"trainMasks":2000000')),
      /^The run file asks for 2,000,000 trainMasks, over the limit of 1,000,000 \(docs\/LIMITS\.md\)\.$/, 'too-large');
  });

  it('more examples than the limit', async () => {
    const examples = JSON.stringify(range(0, LIMITS.examples + 1));
    await refusedWith(() => decodeWithHeader(emptyRun(), (h) => h.replace('"examples":[4,17,9,0,31]', `"examples":${examples}`)),
      /^The run file studies 100,001 examples, over the limit of 100,000 \(docs\/LIMITS\.md\)\.$/, 'too-large');
  });

  it('masks × examples over the outputs limit, refused before anything is allocated', async () => {
    const examples = JSON.stringify(range(0, 600));
    const started = performance.now();
    await refusedWith(() => decodeWithHeader(emptyRun(), (h) => h.replace('"trainMasks":24', '"trainMasks":900000').replace('"examples":[4,17,9,0,31]', `"examples":${examples}`)),
      /^The run file holds 900,008 masks × 600 examples, over the limit of 500,000,000 outputs per run \(docs\/LIMITS\.md\)\.$/, 'too-large');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('an example listed twice', async () => {
    await refusedWith(() => decodeWithHeader(emptyRun(), (h) => h.replace('"examples":[4,17,9,0,31]', '"examples":[4,17,4,0,31]')),
      /^The run file lists example 4 more than once \(at positions 0 and 2\): the file is corrupt\.$/, 'malformed-run');
  });

  it('an example that is not an index', async () => {
    await refusedWith(() => decodeWithHeader(emptyRun(), (h) => h.replace('"examples":[4,17,9,0,31]', '"examples":[4,17,-9,0,31]')),
      /^The run file's example 2 is -9, not an index into the data set\.$/, 'malformed-run');
  });

  it('a layer without a class name', async () => {
    await refusedWith(() => decodeWithHeader(emptyRun(), (h) => h.replace('"className":"Conv2D",', '')),
      /^The run file's header has a missing or invalid "layers"\.$/, 'malformed-run');
  });

  it('a header nested 100,000 deep', async () => {
    await refusedWith(() => decodeWithHeader(emptyRun(), (h) => h.replace('"createdAt":', `"x":${'['.repeat(100_000)}${']'.repeat(100_000)},"createdAt":`)),
      /^The run file's header nests arrays\/objects deeper than 100 levels/, 'malformed-run');
  });
});

/** A complete, fitted synthetic run. */
function fittedRun(): RunData {
  const run = emptyRun();
  computeRows(run.train, range(0, 24));
  computeRows(run.validation, range(0, 8));
  run.fit = { weights: new Float32Array(n * N).fill(0.01), bias: new Float32Array(n), lambda: 0.1, validationCorrelation: 0.5 };
  return run;
}

describe('run files: non-finite numbers are refused, naming the section and index', () => {
  it.each([
    ['fit.weights', (r: RunData) => { r.fit!.weights[75] = NaN; }, /^The run file's "fit\.weights" section holds NaN at index 75 \(example 1, component 5\): a run holds finite numbers only; the file is corrupt\.$/],
    ['fit.bias', (r: RunData) => { r.fit!.bias[3] = Infinity; }, /^The run file's "fit\.bias" section holds Infinity at index 3 \(example 3\)/],
    ['baseOutputs', (r: RunData) => { r.baseOutputs[2] = NaN; }, /^The run file's "baseOutputs" section holds NaN at index 2 \(example 2\)/],
    ['train.outputs (a done row)', (r: RunData) => { r.train.outputs[7 * n + 4] = -Infinity; }, /^The run file's "train\.outputs" section holds -Infinity at index 39 \(mask 7, example 4\)/],
    ['validation.outputs (a done row)', (r: RunData) => { r.validation.outputs[n + 1] = NaN; }, /^The run file's "validation\.outputs" section holds NaN at index 6 \(mask 1, example 1\)/],
  ])('%s', async (_section, spoil, message) => {
    const run = fittedRun();
    spoil(run);
    await refusedWith(() => decodeRunFile(encodeRunFile(run)), message, 'malformed-run');
  });

  it('a row not yet computed may hold anything (it is never read)', () => {
    const run = emptyRun();
    run.train.outputs[3 * n] = NaN;
    expect(() => decodeRunFile(encodeRunFile(run))).not.toThrow();
  });
});

describe('checkRunMatches compares the layers, not only the fingerprints', () => {
  const loaded = { modelFingerprint: '0123456789abcdef', dataFingerprint: 'fedcba9876543210', componentCount: N };
  it.each([
    ['a renamed layer', [LAYERS[0], { ...LAYERS[1], name: 'block9/conv' }], /^This run file's layer 2 is "block1\/conv2" \(Conv2D, 30 components from 40\), but the loaded model's is "block9\/conv" \(Conv2D, 30 components from 40\): the run belongs to another model \(or was edited\)\.$/],
    ['another class', [{ ...LAYERS[0], className: 'Dense' }, LAYERS[1]], /^This run file's layer 1 is "conv1" \(Conv2D, 40 components from 0\), but the loaded model's is "conv1" \(Dense, 40 components from 0\)/],
    ['the same total split differently', [{ ...LAYERS[0], count: 30 }, { ...LAYERS[1], count: 40, offset: 30 }], /^This run file's layer 1 is "conv1" \(Conv2D, 40 components from 0\), but the loaded model's is "conv1" \(Conv2D, 30 components from 0\)/],
    ['one layer more in the model', [...LAYERS, { name: 'fc', className: 'Dense', count: 0, offset: 70 }], /^This run file's layer 3 is no layer, but the loaded model's is "fc" \(Dense, 0 components from 70\)/],
  ])('%s', async (_what, layers, message) => {
    await refusedWith(() => checkRunMatches(emptyRun(), { ...loaded, layers }), message, 'run-mismatch');
  });
});

describe('models by URL: weights from the same origin and folder only, redirects checked', () => {
  const servers = new LocalServers();
  const hits: { a: string[]; b: string[] } = { a: [], b: [] };
  let A = '';
  let B = '';
  let weights: ArrayBuffer;
  const routes = new Map<string, (res: ServerResponse) => void>();

  const json = (body: string) => (res: ServerResponse) => { res.setHeader('content-type', 'application/json'); res.end(body); };
  const redirect = (to: () => string) => (res: ServerResponse) => { res.statusCode = 302; res.setHeader('location', to()); res.end(); };

  beforeAll(async () => {
    A = await servers.serve(hits.a, routes);
    B = await servers.serve(hits.b, routes);
    const files = await modelToFiles(model());
    weights = files.weights;
    const withPaths = async (paths: string[]) => modelJsonWith([{ paths, weights: JSON.parse(files.modelJson).weightsManifest[0].weights }]);
    routes.set('/m/model.json', json(files.modelJson));
    routes.set('/m/weights.bin', (res) => res.end(Buffer.from(weights)));
    routes.set('/other-origin/model.json', json(await withPaths([`${B}/m/weights.bin`])));
    routes.set('/slashes/model.json', json(await withPaths([`//${B.slice(7)}/m/weights.bin`])));
    routes.set('/up/m/model.json', json(await withPaths(['../../m/weights.bin'])));
    routes.set('/redirecting/model.json', json(await withPaths(['w.bin'])));
    routes.set('/redirecting/w.bin', redirect(() => `${B}/m/weights.bin`));
    routes.set('/moved/model.json', redirect(() => `${B}/m/model.json`));
    routes.set('/loop/model.json', redirect(() => `${A}/loop/model.json`));
    routes.set('/same/model.json', redirect(() => `${A}/m/model.json`));
  });

  afterAll(() => servers.close());

  it('a same-origin redirect is followed and the model loads', async () => {
    const m = await loadModel(`${A}/same/model.json`);
    expect(m.layers.map((l) => l.name)).toEqual(['logits']);
  });

  it.each([
    ['weights on another origin', '/other-origin/model.json', /^Weight file listed in http:\/\/127\.0\.0\.1:\d+\/other-origin\/model\.json "http:\/\/127\.0\.0\.1:\d+\/m\/weights\.bin" is refused: it names a scheme or drive/, 'unsafe-path'],
    ['weights at //host', '/slashes/model.json', /"\/\/127\.0\.0\.1:\d+\/m\/weights\.bin" is refused: it names another host/, 'unsafe-path'],
    ['weights above the model\'s folder', '/up/m/model.json', /"\.\.\/\.\.\/m\/weights\.bin" is refused: it climbs out of its folder/, 'unsafe-path'],
    ['a same-origin weight URL redirecting to another origin', '/redirecting/model.json', /^http:\/\/127\.0\.0\.1:\d+\/redirecting\/w\.bin redirects to http:\/\/127\.0\.0\.1:\d+\/m\/weights\.bin, on another origin: refused/, 'unsafe-url'],
    ['a model.json URL redirecting to another origin', '/moved/model.json', /^http:\/\/127\.0\.0\.1:\d+\/moved\/model\.json redirects to http:\/\/127\.0\.0\.1:\d+\/m\/model\.json, on another origin: refused/, 'unsafe-url'],
    ['endless same-origin redirects', '/loop/model.json', /^http:\/\/127\.0\.0\.1:\d+\/loop\/model\.json redirects more than 5 times/, 'unsafe-url'],
  ])('%s: refused, and the other origin gets no request', async (_what, path, message, code) => {
    hits.b.length = 0;
    const before = hits.a.length;
    await refusedWith(() => loadModel(`${A}${path}`), message, code);
    expect(hits.b).toEqual([]);
    expect(hits.a.length - before).toBeLessThanOrEqual(LIMITS.redirects + 2);
  });
});

describe('limits are declared once', () => {
  it('docs/LIMITS.md lists every limit with its value', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync('docs/LIMITS.md', 'utf8');
    for (const key of Object.keys(LIMITS)) expect(doc).toContain(`\`${key}\``);
  });
});
