/**
 * Malformed or mismatched models, images and import settings: each is refused with a CoarError
 * whose code and message say what is wrong and where.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { checkDatasetFitsModel } from '../../src/coar/dataset';
import { CoarError } from '../../src/coar/errors';
import { buildImageDataset, parseClassNames, parseLabelCsv, parseNormalization, type DecodedImage, type ImageImportOptions } from '../../src/coar/image-import';
import { loadLayersModelFromFiles, modelToFiles } from '../../src/coar/model-io';
import { checkFitsMemory, estimateRunMemory, imageInputOf, summarizeModel } from '../../src/coar/model-summary';
import { loadImageFolder } from '../../src/node/image-files';

async function refused(action: () => unknown, message: RegExp, code: string): Promise<void> {
  let error: unknown;
  try {
    await action();
  } catch (e) {
    error = e;
  }
  expect(error, `expected a CoarError matching ${message}`).toBeInstanceOf(CoarError);
  expect((error as CoarError).message).toMatch(message);
  expect((error as CoarError).code).toBe(code);
}

function tinyModel(inputShape: (number | null)[] = [4, 4, 1], classes = 3): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape, filters: 2, kernelSize: 3, padding: 'same', name: 'conv' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: classes, name: 'logits' }),
    ],
  });
}
const saved = modelToFiles(tinyModel());
const load = async (edit: (json: Record<string, any>) => void, weights?: (w: ArrayBuffer) => ArrayBuffer) => {
  const { modelJson, weights: w } = await saved;
  const json = JSON.parse(modelJson);
  edit(json);
  return loadLayersModelFromFiles(JSON.stringify(json), async () => (weights ? weights(w) : w));
};
const flattenLayer = (json: Record<string, any>) => json.modelTopology.config.layers[1];

const image = (path: string, width = 2, height = 2): DecodedImage => ({ path, width, height, rgba: new Uint8Array(width * height * 4).fill(255) });
const two = [image('cat/a.png'), image('dog/b.png')];
const options = (over: Partial<ImageImportOptions> = {}): ImageImportOptions =>
  ({ name: 'bad', target: { height: 2, width: 2, channels: 3 }, labels: { kind: 'folder' }, normalize: { kind: '0-1' }, ...over });

describe('malformed models', () => {
  it('a Lambda layer', () => refused(() => load((j) => { flattenLayer(j).class_name = 'Lambda'; }),
    /model.json uses a Lambda layer \("flat"\): Lambda layers hold Python code, which cannot run in the browser; rewrite it with built-in layers/, 'unsupported-layer'));
  it('an unregistered custom layer class, named with its layer', () => refused(() => load((j) => { flattenLayer(j).class_name = 'MyPatchify'; }),
    /uses the layer type "MyPatchify", which tfjs cannot build \(layer "flat"; a custom layer\?\)/, 'unsupported-layer'));
  it('a custom layer inside a wrapper', () => refused(() => load((j) => {
    const inner = flattenLayer(j);
    j.modelTopology.config.layers[1] = { class_name: 'TimeDistributed', config: { name: 'td', layer: { ...inner, class_name: 'Weird' } } };
  }), /layer type "Weird".*\(layer "flat"/, 'unsupported-layer'));
  it('a model with two inputs', async () => {
    const a = tf.input({ shape: [4] });
    const b = tf.input({ shape: [4] });
    const out = tf.layers.dense({ units: 2 }).apply(tf.layers.concatenate().apply([a, b])) as tf.SymbolicTensor;
    const files = await modelToFiles(tf.model({ inputs: [a, b], outputs: out }));
    await refused(() => loadLayersModelFromFiles(files.modelJson, async () => files.weights),
      /describes a model with 2 inputs and 1 outputs; COAR Explorer needs exactly one of each/, 'unsupported-model');
  });
  it('truncated weights', () => refused(() => load(() => {}, (w) => w.slice(0, w.byteLength - 4)), /the weights are truncated or belong to another model/, 'weights-mismatch'));
  it('extra weight bytes', () => refused(() => load(() => {}, (w) => new Uint8Array(w.byteLength + 8).buffer), /hold \d+ bytes but model.json describes \d+ bytes: they belong to another model/, 'weights-mismatch'));
  it('an unknown weight dtype', () => refused(() => load((j) => { j.weightsManifest[0].weights[0].dtype = 'complex128'; }), /Weight "[^"]+" has unsupported dtype "complex128"/, 'malformed-model'));
  it('model.json that is not an object', () => refused(() => loadLayersModelFromFiles('42', async () => new ArrayBuffer(0)), /model.json must hold a JSON object/, 'malformed-model'));
  it('a graph model without modelTopology', () => refused(() => loadLayersModelFromFiles(JSON.stringify({ format: 'graph-model', weightsManifest: [] }), async () => new ArrayBuffer(0)),
    /has no "modelTopology": it is not a tfjs LayersModel file/, 'malformed-model'));
  it('a graph model with a graph topology', () => refused(() => loadLayersModelFromFiles(JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] }), async () => new ArrayBuffer(0)),
    /is a tfjs graph model .* convert the Keras model to a tfjs layers model/, 'unsupported-model'));
  it('a model input without a fixed image size', () => refused(() => imageInputOf(tf.sequential({ layers: [
    tf.layers.conv2d({ inputShape: [null, null, 1], filters: 2, kernelSize: 3 }), tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 3 })] })), /The model's input is \?×\?×\?×1; images need a model input of fixed size/, 'unsupported-input'));
});

describe('malformed images and labels', () => {
  it('no images at all', () => refused(() => buildImageDataset([], options()), /Data set "bad" has no images/, 'empty-data'));
  it('a zero-size image', () => refused(() => buildImageDataset([...two, image('cat/empty.png', 0, 4)], options()), /Image "cat\/empty.png" has size 0×4: it holds no pixels/, 'malformed-image'));
  it('pixel bytes that do not match the size', () => refused(() => buildImageDataset([...two, { ...image('cat/c.png'), rgba: new Uint8Array(5) }], options()),
    /Image "cat\/c.png" is 2×2 but holds 5 bytes, not 16 \(RGBA\)/, 'malformed-image'));
  it('a label not among the class names', () => refused(() => buildImageDataset([...two, image('bird/c.png')], options({ classNames: ['cat', 'dog'] })),
    /Image "bird\/c.png" has label "bird", which is not among the class names \(cat, dog\)/, 'label-unknown'));
  it('a single class', () => refused(() => buildImageDataset([image('cat/a.png'), image('cat/b.png')], options()), /Only one class \("cat"\) was found; .* at least two/, 'too-few-classes'));
  it('more than 256 classes', () => refused(() => buildImageDataset(Array.from({ length: 257 }, (_, i) => image(`c${i}/x.png`)), options()), /257 classes found; at most 256 are supported/, 'too-many-classes'));
  it('an image outside any class folder', () => refused(() => buildImageDataset([...two, image('loose.png')], options()), /Image "loose.png" is not inside a class folder/, 'label-missing'));
  it('a file name without a label prefix', () => refused(() => buildImageDataset([image('a_1.png'), image('b1.png')], options({ labels: { kind: 'prefix', separator: '_' } })),
    /File name "b1.png" has no label before "_"/, 'label-missing'));
  it('a CSV without a row for an image', () => refused(() => buildImageDataset(two, options({ labels: { kind: 'csv', text: 'file,label\na.png,cat\n' } })),
    /The label CSV has no row for image "dog\/b.png"/, 'label-missing'));
  it('a CSV line with three fields', () => refused(() => parseLabelCsv('file,label\na.png,cat\nb.png,dog,extra\n'), /Label CSV line 3: expected 2 fields "file,label", found 3/, 'malformed-csv'));
  it('a CSV quote left open', () => refused(() => parseLabelCsv('"a.png,cat\n'), /Label CSV line 1: a quoted field is not closed/, 'malformed-csv'));
  it('a CSV listing a file twice', () => refused(() => parseLabelCsv('a.png,cat\nb.png,dog\na.png,dog\n'), /Label CSV line 3: "a.png" already has a row \(line 1\)/, 'malformed-csv'));
  it('duplicate class names in a file and in a list', async () => {
    await refused(() => parseClassNames('cat\ndog\n\ncat\n'), /Class name "cat" appears twice \(line 1 and line 4\)/, 'duplicate-class');
    await refused(() => buildImageDataset(two, options({ classNames: ['cat', 'dog', 'dog'] })), /Class name "dog" appears twice \(position 2 and position 3\)/, 'duplicate-class');
  });
  it('an empty class-names file', () => refused(() => parseClassNames('# nothing\n\n'), /lists no classes/, 'bad-class-names'));
});

describe('mismatched settings and devices', () => {
  it('std 0', () => refused(() => parseNormalization('mean-std', '0.5', '0.2,0,0.2'), /Normalization std must be positive: value 2 is 0/, 'bad-normalization'));
  it('a mean count that does not match the channels', () => refused(() => buildImageDataset(two, options({ normalize: parseNormalization('mean-std', '0.5,0.4', '0.2') })),
    /Normalization mean has 2 values; the model's input has 3 channels, so give 1 or 3/, 'bad-normalization'));
  it('a mean on the 0–255 scale', () => refused(() => parseNormalization('mean-std', '123.7,116.3,103.5', '58,57,57'), /outside 0–1: means are on the 0–1 pixel scale/, 'bad-normalization'));
  it('an unknown normalization, and mean/std without mean-std', async () => {
    await refused(() => parseNormalization('bogus'), /Unknown normalization "bogus": use 0-1 .*, -1-1 .* or mean-std/, 'bad-normalization');
    await refused(() => parseNormalization('0-1', '0.5'), /Mean and std values only apply to mean-std normalization/, 'bad-normalization');
    await refused(() => parseNormalization('mean-std', 'x', '1'), /mean "x": "x" is not a number/, 'bad-normalization');
  });
  it('a model that takes 2 channels', () => refused(() => buildImageDataset(two, options({ target: { height: 2, width: 2, channels: 2 } })),
    /The model expects 2 input channels; images can feed models with 1 \(grayscale\) or 3 \(RGB\) channels/, 'unsupported-input'));
  it('class count not matching the model outputs', async () => {
    const { dataset } = buildImageDataset(two, options({ target: { height: 4, width: 4, channels: 1 } }));
    await refused(() => checkDatasetFitsModel(dataset, tinyModel([4, 4, 1], 3)), /The model outputs 3 classes but the data set names 2/, 'class-mismatch');
  });
  it('a model too large for the device', async () => {
    const summary = summarizeModel(tinyModel([64, 64, 3]), 'tiny');
    const estimate = estimateRunMemory(summary, 8192);
    expect(estimate.peakBytes).toBe(summary.weightBytes + 8192 * 2 * summary.activationBytesPerExample);
    await refused(() => checkFitsMemory(estimate, 256 * 2 ** 20, 'WebGPU (test adapter)'),
      /The model needs about 1.8 GB \(0.1 MB of weights \+ 8192 pairs per batch × 0.2 MB\) but WebGPU \(test adapter\) offers about 256 MB/, 'too-large');
    expect(() => checkFitsMemory(estimate, 64 * 2 ** 30, 'a large GPU')).not.toThrow();
  });
});

describe('malformed image folders on disk', () => {
  const folder = (files: Record<string, Uint8Array | string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'coar-bad-'));
    for (const [path, bytes] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    return dir;
  };
  const load = (dir: string) => loadImageFolder(dir, { normalize: { kind: '0-1' }, target: { height: 2, width: 2, channels: 1 } });
  const png = PNG.sync.write(new PNG({ width: 2, height: 2 }));
  const jpg = jpeg.encode({ width: 2, height: 2, data: new Uint8Array(16) }, 90).data;

  it('an empty folder', async () => {
    const dir = folder({});
    await refused(() => load(dir), new RegExp(`No images \\(.png, .jpg, .jpeg\\) in ${dir}\\.`), 'empty-data');
  });
  it('a folder with no images in it', () => refused(() => load(folder({ 'notes.txt': 'x', 'a/data.csv': '1,2' })), /No images .* \(2 other files skipped, e.g. a\/data.csv\)/, 'empty-data'));
  it('a corrupt PNG, named', () => refused(() => load(folder({ 'cat/ok.png': png, 'cat/bad.png': png.subarray(0, 30) })), /Image "cat\/bad.png" could not be decoded as PNG: .*corrupt or truncated/, 'malformed-image'));
  it('a corrupt JPEG, named', () => refused(() => load(folder({ 'dog/bad.jpg': Buffer.concat([jpg.subarray(0, 20), Buffer.alloc(50, 7)]) })), /Image "dog\/bad.jpg" could not be decoded as JPEG/, 'malformed-image'));
  it('a file that is neither PNG nor JPEG', () => refused(() => load(folder({ 'dog/fake.png': 'GIF89a...' })), /Image "dog\/fake.png" is neither a PNG nor a JPEG file/, 'malformed-image'));
  it('a missing folder and a missing label CSV', async () => {
    await refused(() => load('/nonexistent/coar-images'), /No image folder at \/nonexistent\/coar-images/, 'missing-data');
    const dir = folder({ 'a/x.png': png, 'b/y.jpg': jpg });
    await refused(() => loadImageFolder(dir, { csvPath: join(dir, 'none.csv'), normalize: { kind: '0-1' }, target: { height: 2, width: 2, channels: 1 } }),
      /Cannot read the label CSV .*none.csv/, 'missing-data');
  });
});
