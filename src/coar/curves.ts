/**
 * Sample efficiency: how the fit's validation correlation grows with the number of masks, by
 * refitting on the first k training rows for several k (the paper's Figure on m).
 */
import { fitAttributions } from './estimate';
import { check } from './errors';
import { selectMasks } from './masks';
import type { RunData } from './runfile';
import { completedPart } from './run';

export interface MaskCurvePoint {
  masks: number;
  validationCorrelation: number | null;
  lambda: number;
}

export async function maskCountCurve(run: RunData, sizes: number[]): Promise<MaskCurvePoint[]> {
  const n = run.labels.length;
  const train = completedPart(run.train, n);
  const validation = completedPart(run.validation, n);
  check(validation.masks.count > 1, 'The sample-efficiency curve needs validation masks in the run.', 'bad-masks');
  const points: MaskCurvePoint[] = [];
  for (const size of [...new Set(sizes)].sort((a, b) => a - b)) {
    check(Number.isInteger(size) && size > 1, `Mask counts must be whole numbers above 1 (got ${size}).`, 'bad-masks');
    if (size > train.masks.count) break;
    const rows = Array.from({ length: size }, (_, r) => r);
    const report = await fitAttributions({
      train: { masks: selectMasks(train.masks, rows), outputs: train.outputs.subarray(0, size * n) },
      exampleCount: n,
      validation,
    });
    points.push({ masks: size, validationCorrelation: report.validationCorrelation, lambda: report.attributions.lambda });
  }
  return points;
}

/** Default sizes: doubling from 50 up to everything computed. */
export function defaultCurveSizes(total: number): number[] {
  const sizes: number[] = [];
  for (let k = 50; k < total; k *= 2) sizes.push(k);
  sizes.push(total);
  return sizes;
}
