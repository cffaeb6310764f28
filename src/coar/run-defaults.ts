/**
 * Run settings that follow the model's size N (the number of components studied). Pure: the run
 * form and the CLI's help read them.
 *
 * alpha: with few components and a small alpha only a handful are off per mask, their joint
 * effects are small and one-at-a-time estimates are nearly as good; the paper fits its
 * 2,304-filter CIFAR ResNet at alpha 0.10 and its ~20,000+ component ImageNet models at 0.05.
 * Masks: a least-squares fit needs more masks than components; the paper uses about 20×N,
 * and the correlation is close to its plateau from about 4×N.
 */

/** Masks per component suggested (the fit's correlation is near its plateau from here). */
export const MASKS_PER_COMPONENT = 4;
/** Fewest masks suggested, for very small models. */
const MIN_SUGGESTED_MASKS = 600;

export function suggestedAlpha(componentCount: number): number {
  return componentCount >= 1_000 && componentCount <= 10_000 ? 0.1 : 0.05;
}

export function suggestedMasks(componentCount: number): number {
  return Math.max(MIN_SUGGESTED_MASKS, Math.ceil((MASKS_PER_COMPONENT * componentCount) / 100) * 100);
}

/** Components switched off per mask: binomial(N, alpha), its mean and standard deviation. */
export function componentsOffPerMask(componentCount: number, alpha: number): { mean: number; sd: number } {
  return { mean: componentCount * alpha, sd: Math.sqrt(componentCount * alpha * (1 - alpha)) };
}

/** Why these masks are too few for N components, or null. */
export function tooFewMasksWarning(componentCount: number, masks: number): string | null {
  if (!(masks > 0) || masks >= componentCount) return null;
  return `${masks.toLocaleString('en-US')} masks for ${componentCount.toLocaleString('en-US')} components: with fewer masks than components the fit cannot tell every component apart (the ridge penalty fills the gap); use at least ${componentCount.toLocaleString('en-US')}, ideally ${suggestedMasks(componentCount).toLocaleString('en-US')}.`;
}
