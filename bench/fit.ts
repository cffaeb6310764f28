/**
 * Times the estimator on synthetic data of the paper's CIFAR-10 size: planted attributions,
 * outputs = their predictions under random masks + Gaussian noise, one fit at λ = 0.
 * The tfjs backend must be initialised by the caller.
 */
import { MaskStream, sampleMasks } from '../src/coar/masks';
import { Rng } from '../src/coar/random';
import { fitAttributions, predictOutputs, type Attributions } from '../src/coar/estimate';
import { pearson } from '../src/coar/evaluate';

export async function benchFit(opts: { N?: number; m?: number; n?: number } = {}): Promise<Record<string, number>> {
  const { N = 2304, m = 10_000, n = 1000 } = opts;
  const alpha = 0.05;
  const rng = new Rng(1);
  // Weights scaled so that ablating a typical subset moves the output by about 1; noise 0.3.
  const scale = 1 / Math.sqrt(alpha * N);
  const planted: Attributions = {
    componentCount: N,
    exampleCount: n,
    weights: Float32Array.from({ length: n * N }, () => rng.nextNormal() * scale),
    bias: Float32Array.from({ length: n }, () => rng.nextNormal()),
    lambda: 0,
  };
  const masks = sampleMasks({ componentCount: N, alpha, seed: 1, stream: MaskStream.train }, m);
  const outputs = predictOutputs(planted, masks);
  for (let k = 0; k < outputs.length; k++) outputs[k] += 0.3 * rng.nextNormal();

  const report = await fitAttributions({ train: { masks, outputs }, exampleCount: n, lambdas: [0] });
  return {
    N,
    m,
    n,
    ...report.timings,
    weightCorrelation: pearson(report.attributions.weights, planted.weights),
  };
}
