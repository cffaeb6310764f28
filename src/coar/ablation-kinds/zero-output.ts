/** Weights and bias zeroed: the component outputs 0. */
import type { AblationKindSpec } from './kind';

export const zeroOutput: AblationKindSpec<'zero-output'> = {
  id: 'zero-output',
  help: 'zero the whole output',
  needsMean: false,
  inWeights: { maskBias: true },
  apply: ({ signal, bias, keep }) => (bias ? signal.add(bias) : signal).mul(keep),
};
