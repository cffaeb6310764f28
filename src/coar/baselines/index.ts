/** Every attribution baseline, listed once; the CLI, the worker and the evaluation views read these. */
import { gradTimesParam } from './grad-x-param';
import type { BaselineSpec } from './kind';
import { leaveOneOut } from './leave-one-out';

export const BASELINE_SPECS = [leaveOneOut, gradTimesParam] as const;

export type BaselineName = (typeof BASELINE_SPECS)[number]['id'];

export const BASELINE_NAMES: readonly BaselineName[] = BASELINE_SPECS.map((b) => b.id);

export function baselineSpec(name: BaselineName): BaselineSpec<BaselineName> {
  return BASELINE_SPECS.find((b) => b.id === name)!;
}

export function isBaselineName(value: unknown): value is BaselineName {
  return (BASELINE_NAMES as readonly unknown[]).includes(value);
}

export type { BaselineContext, BaselineSpec } from './kind';
