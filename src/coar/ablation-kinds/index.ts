/** Every ablation kind, listed once; CLI flags, URL options, run files and the run form read these. */
import type { AblationKindSpec } from './kind';
import { meanAblation } from './mean';
import { zeroOutput } from './zero-output';
import { zeroWeights } from './zero-weights';

export const ABLATION_KIND_SPECS = [zeroWeights, zeroOutput, meanAblation] as const;

/** How a component is switched off: one of the ids above. */
export type AblationKind = (typeof ABLATION_KIND_SPECS)[number]['id'];

export const ABLATION_KINDS: readonly AblationKind[] = ABLATION_KIND_SPECS.map((k) => k.id);

export function ablationKind(id: AblationKind): AblationKindSpec<AblationKind> {
  return ABLATION_KIND_SPECS.find((k) => k.id === id)!;
}

export type { AblatedSignal, AblationKindSpec } from './kind';
