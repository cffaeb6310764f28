/** Leave-one-out: w_i = f(nothing ablated) − f(only i ablated); N forward passes. */
import { emptyMaskSet } from '../masks';
import { fromEffects, type BaselineSpec } from './kind';

export const leaveOneOut: BaselineSpec<'loo'> = {
  id: 'loo',
  label: 'Leave-one-out',
  color: '#c25e00',
  description: 'each component switched off alone: exact for one component, blind to how components interact (N forward passes)',
  maskRows: (N) => N,
  stage: (N) => `Leave-one-out: ablating each of the ${N} components alone`,
  async compute(ctx) {
    const N = ctx.componentCount;
    const n = ctx.exampleCount;
    const single = emptyMaskSet(N, N);
    for (let i = 0; i < N; i++) single.ablated[i * single.wordsPerMask + (i >>> 5)] |= 1 << (i & 31);
    const outputs = await ctx.runMasks(single);
    const effects = new Float32Array(n * N);
    for (let i = 0; i < N; i++) for (let j = 0; j < n; j++) effects[j * N + i] = ctx.base[j] - outputs[i * n + j];
    return fromEffects(effects, ctx.base, N);
  },
};
