/** The worker's readers of picked files: which file is model.json, missing weights, bundled data sets. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { readImagesInput } from '../../src/worker/workspace/images-input';
import { readModelFiles, readModelInput } from '../../src/worker/workspace/model-input';
import { buildModel } from '../../src/worker/workspace/workspace';

const modelDir = 'public/models/fashion-resnet';
const dataDir = 'public/data/fashion-mnist-test';

async function pick(path: string, name = path.split('/').pop()!): Promise<File> {
  return new File([await readFile(path)], name);
}

async function modelFiles(): Promise<File[]> {
  return [await pick(`${modelDir}/model.json`), await pick(`${modelDir}/weights.bin`)];
}

describe('picked model files', () => {
  it('reads model.json and its weights into a model that builds', async () => {
    const bytes = await readModelFiles(await modelFiles());
    expect([...bytes.files.keys()]).toEqual(['weights.bin']);
    const model = await buildModel(bytes);
    expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    model.dispose();
  });

  it('names a weight file that was not picked', async () => {
    const [json] = await modelFiles();
    await expect(readModelFiles([json])).rejects.toThrow(/lists the weight file "weights.bin", which is not among the picked files \(only the model.json was picked\)/);
  });

  it('asks for a model.json when none was picked', async () => {
    const [, weights] = await modelFiles();
    await expect(readModelFiles([weights])).rejects.toThrow(/None of the picked files is a model.json \(picked: weights.bin\)/);
  });

  it('refuses several .json files none of which is model.json', async () => {
    const json = await pick(`${modelDir}/model.json`, 'a.json');
    const other = await pick(`${modelDir}/model.json`, 'b.json');
    await expect(readModelFiles([json, other])).rejects.toThrow(/Several .json files were picked \(a.json, b.json\)/);
  });

  it('refuses an address that is not a web address, or not http(s)', async () => {
    await expect(readModelInput({ kind: 'url', url: 'models/x.json' })).rejects.toThrow(/is not a web address/);
    await expect(readModelInput({ kind: 'url', url: 'file:///etc/passwd' })).rejects.toThrow(/Only http\(s\) addresses can be loaded \(got file:\)/);
  });
});

describe('picked data set files', () => {
  const target = { height: 28, width: 28, channels: 1 };
  const options = { labels: { kind: 'folder' } as const, normalize: { kind: '0-1' } as const, classNames: null, name: 'picked' };

  it('reads the bundled format picked as files', async () => {
    const files = await Promise.all(['dataset.json', 'images.u8', 'labels.u8'].map(async (f) => ({ path: f, file: await pick(`${dataDir}/${f}`) })));
    const read = await readImagesInput({ kind: 'files', files, ...options }, target);
    expect(read.data.meta.count).toBe(1000);
    expect(read.data.labels.length).toBe(1000);
    expect(read.format).toBe('the bundled format');
  });

  it('names the labels file when it was not picked', async () => {
    const files = await Promise.all(['dataset.json', 'images.u8'].map(async (f) => ({ path: f, file: await pick(`${dataDir}/${f}`) })));
    await expect(readImagesInput({ kind: 'files', files, ...options }, target)).rejects.toThrow(/names the labels file "labels.u8", which is not among the picked files/);
  });

  it('says when no picked file is an image', async () => {
    const files = [{ path: 'notes/readme.txt', file: new File(['hello'], 'readme.txt') }];
    await expect(readImagesInput({ kind: 'files', files, ...options }, target)).rejects.toThrow(/None of the 1 picked files is a PNG or JPEG image \(skipped: notes\/readme.txt\)/);
  });
});

describe('files named inside a linked model.json', () => {
  it('resolve beside it, and never above it or on another site', async () => {
    const { fileBeside } = await import('../../src/worker/workspace/fetch-files');
    expect(fileBeside('group1-shard1of2.bin', 'https://a.example/m/model.json', 'the weights')).toBe('https://a.example/m/group1-shard1of2.bin');
    expect(fileBeside('sub/x.bin', 'https://a.example/m/model.json', 'the weights')).toBe('https://a.example/m/sub/x.bin');
    expect(() => fileBeside('../w/x.bin', 'https://a.example/m/model.json', 'the weights')).toThrow(/The weights "\.\.\/w\/x\.bin" is refused: it climbs out of its folder/);
    expect(() => fileBeside('https://b.example/x.bin', 'https://a.example/m/model.json', 'the weights')).toThrow(/is refused: it names a scheme or drive/);
    expect(() => fileBeside('//b.example/x.bin', 'https://a.example/m/model.json', 'the weights')).toThrow(/it names another host/);
  });
});
