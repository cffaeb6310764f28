/**
 * COAR-Edit on the bundled demo, with the shipped precomputed run (64 examples, 2,000 masks):
 * fixing a misclassified example, and the exported edited model reproducing the edited margins.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSession, disposeSession, runBaseOutputs, type AblationSession } from '../../src/coar/ablate';
import { discoverComponents, type ComponentIndex } from '../../src/coar/components';
import { inputTensor, labelsOf, type ImageDataset } from '../../src/coar/dataset';
import { marginsWithAblated, searchSmallestK } from '../../src/coar/edit-outcome';
import { outputFromLogits } from '../../src/coar/execute';
import { runAttributions } from '../../src/coar/heldout';
import { loadLayersModelFromFiles, modelToFiles } from '../../src/coar/model-io';
import { decodeRunFile, type RunData } from '../../src/coar/runfile';
import { selectExamples } from '../../src/coar/selection';
import { modelWithAblatedWeights } from '../../src/coar/weight-edit';
import { loadModel } from '../../src/node/files';
import { loadDatasetDir } from '../../src/node/dataset-files';

let model: tf.LayersModel;
let components: ComponentIndex;
let data: ImageDataset;
let run: RunData;
let session: AblationSession;

beforeAll(async () => {
  model = await loadModel('public/models/fashion-resnet/model.json');
  components = discoverComponents(model);
  data = await loadDatasetDir('public/data/fashion-mnist-test');
  run = decodeRunFile(new Uint8Array(readFileSync('public/runs/fashion-resnet-demo.coar')));
  session = createSession(model, components, inputTensor(data, run.settings.examples), run.labels, 'zero-weights', 'margin', 'as-is');
});

describe('COAR-Edit on the demo model', () => {
  it('fixes a misclassified example with ≤ 10 ablations; the other images lose ≤ 0.5 points of accuracy', async () => {
    const ctx = { examples: run.settings.examples, labels: run.labels, baseMargins: run.baseOutputs, classNames: data.meta.classNames };
    const misclassified = selectExamples('misclassified', ctx);
    const target = [misclassified[0]];
    const evalIndices = Array.from({ length: data.meta.count }, (_, i) => i).filter((i) => i !== run.settings.examples[target[0]]);
    const evalSession = createSession(model, components, inputTensor(data, evalIndices), labelsOf(data, evalIndices), 'zero-weights', 'margin', 'as-is');
    const search = await searchSmallestK({
      session, baseMargins: run.baseOutputs, attributions: runAttributions(run), target,
      reference: selectExamples('rest', ctx, target), direction: 'raise',
      evaluation: { session: evalSession, baseMargins: await runBaseOutputs(evalSession) },
    }, 'fix', 10);
    disposeSession(evalSession);
    const o = search.outcome;
    console.log(JSON.stringify({ example: run.settings.examples[target[0]], reached: search.reached, k: o.k, target: o.target, reference: o.reference, dataset: o.evaluation }));
    expect(search.reached).toBe(true);
    expect(o.k).toBeLessThanOrEqual(10);
    expect(o.target.accuracyAfter).toBe(1);
    // 0.5 points of the 1,000 bundled images is 5 images; the target itself is left out (999 remain).
    const imagesLost = Math.round((o.evaluation!.accuracyBefore - o.evaluation!.accuracyAfter) * o.evaluation!.count);
    expect(imagesLost).toBeLessThanOrEqual(5);
  });

  it('exports an edited model that plain tfjs loads and that reproduces the edited margins', async () => {
    const ablated = [3, 40, 77, 150, 230];
    const inApp = await marginsWithAblated(session, components.count, ablated);
    const { model: edited } = await modelWithAblatedWeights(model, components, ablated);
    const files = await modelToFiles(edited);
    const reloaded = await tf.loadLayersModel(tf.io.fromMemory({
      ...JSON.parse(files.modelJson), weightSpecs: JSON.parse(files.modelJson).weightsManifest[0].weights, weightData: files.weights,
    }));
    // Also through the app's own loader (what a user's browser does with the download).
    const viaLoader = await loadLayersModelFromFiles(files.modelJson, async () => files.weights);
    for (const m of [reloaded, viaLoader]) {
      const margins = tf.tidy(() => outputFromLogits(m.predict(inputTensor(data, run.settings.examples)) as tf.Tensor, tf.tensor1d(run.labels, 'int32'), 'margin').dataSync());
      let maxDiff = 0;
      margins.forEach((v, j) => { maxDiff = Math.max(maxDiff, Math.abs(v - inApp[j])); });
      expect(maxDiff).toBeLessThanOrEqual(1e-4);
    }
    const unedited = await runBaseOutputs(session);
    expect(Math.max(...Array.from(inApp, (v, j) => Math.abs(v - unedited[j])))).toBeGreaterThan(0.01);
  });
});
