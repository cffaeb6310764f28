/** The paper's ablation: the component's weights are zeroed, its bias kept (what follows sees a constant). */
import type { AblationKindSpec } from './kind';

export const zeroWeights: AblationKindSpec<'zero-weights'> = {
  id: 'zero-weights',
  help: 'zero the weights, keep the bias (the paper)',
  needsMean: false,
  inWeights: { maskBias: false },
  apply: ({ signal, bias, keep }) => (bias ? signal.mul(keep).add(bias) : signal.mul(keep)),
};
