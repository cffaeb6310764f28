/** The component's output is replaced by its mean over the run's examples (no weight copy does this). */
import type { AblationKindSpec } from './kind';

export const meanAblation: AblationKindSpec<'mean'> = {
  id: 'mean',
  help: 'replace it by its mean over the examples',
  needsMean: true,
  inWeights: null,
  apply({ signal, bias, keep, mean }) {
    const full = bias ? signal.add(bias) : signal;
    // keep · x + (1 − keep) · mean, without importing tfjs for the constant.
    return full.mul(keep).add(mean!.mul(keep.neg().add(1)));
  },
};
