/**
 * Grad×Param: w_i = ∂f/∂keep_i at keep = 1, a first-order estimate of switching i off. For
 * zero-weights ablation it equals Σ over the component's weights of gradient × weight, the
 * paper's Grad×Param; one backward pass per batch of examples.
 */
import { fromEffects, type BaselineSpec } from './kind';

export const gradTimesParam: BaselineSpec<'gradxparam'> = {
  id: 'gradxparam',
  label: 'Grad×Param',
  color: '#7b1fa2',
  description: 'gradient × weight: a first-order guess from one backward pass, no ablations',
  maskRows: () => 0,
  stage: () => 'Grad×Param: one backward pass per batch of examples',
  compute: async (ctx) => fromEffects(await ctx.keepGradients(), ctx.base, ctx.componentCount),
};
