import { describe, expect, it } from 'vitest';
import { readModelFiles } from '../../src/worker/workspace/model-input';

const modelJson = (weights: string) => JSON.stringify({
  format: 'layers-model', modelTopology: { class_name: 'Sequential', config: { layers: [] } },
  weightsManifest: [{ paths: [weights], weights: [] }],
});

describe('the user’s model is named after its folder or file, never "your model"', () => {
  const bin = new File([new Uint8Array(4)], 'weights.bin');
  it('takes the folder it was picked or dropped from', async () => {
    expect((await readModelFiles([new File([modelJson('weights.bin')], 'model.json'), bin], 'mnist-cnn')).name).toBe('mnist-cnn');
  });
  it('else the file: a plain model.json keeps its full name, another name its stem', async () => {
    expect((await readModelFiles([new File([modelJson('weights.bin')], 'model.json'), bin])).name).toBe('model.json');
    expect((await readModelFiles([new File([modelJson('weights.bin')], 'resnet8.json'), bin])).name).toBe('resnet8');
  });
});
