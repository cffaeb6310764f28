/** Content fingerprints of a model and a data set, so a run file is only reopened with what made it. */
import * as tf from '@tensorflow/tfjs';
import { fingerprintBytes } from './runfile';
import { concatBuffers } from './model-io';
import type { ImageDataset } from './dataset';

export async function modelFingerprint(model: tf.LayersModel): Promise<string> {
  let bytes: Uint8Array[] = [];
  await model.save(tf.io.withSaveHandler(async (a) => {
    const weights = Array.isArray(a.weightData) ? concatBuffers(a.weightData) : (a.weightData as ArrayBuffer);
    bytes = [new TextEncoder().encode(JSON.stringify(a.modelTopology)), new Uint8Array(weights)];
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return fingerprintBytes(...bytes);
}

export function datasetFingerprint(data: ImageDataset): string {
  const { name: _name, source: _source, ...shape } = data.meta;
  return fingerprintBytes(new TextEncoder().encode(JSON.stringify(shape)), data.pixels, data.labels);
}
