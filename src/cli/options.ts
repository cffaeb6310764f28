/**
 * The CLI's flags, parsed once: every command reads its options as `CliOptions`. A module of its
 * own, so the commands and main.ts (which calls them) do not import each other.
 */
import { parseArgs } from 'node:util';
import { joinNegativeValues } from './args';

const OPTIONS = {
  model: { type: 'string' }, data: { type: 'string' }, examples: { type: 'string' }, alpha: { type: 'string' },
  masks: { type: 'string' }, 'val-masks': { type: 'string' }, seed: { type: 'string' }, layers: { type: 'string' },
  ablation: { type: 'string' }, output: { type: 'string' }, sampling: { type: 'string' }, shard: { type: 'string' }, 'shard-count': { type: 'string' },
  out: { type: 'string' }, alphas: { type: 'string' }, baselines: { type: 'string' }, json: { type: 'boolean' },
  format: { type: 'string' }, backend: { type: 'string' }, route: { type: 'string' }, help: { type: 'boolean' },
  target: { type: 'string' }, reference: { type: 'string' }, k: { type: 'string' }, goal: { type: 'string' },
  'max-k': { type: 'string' }, 'damage-budget': { type: 'string' }, 'mask-curve': { type: 'string' }, direction: { type: 'string' }, 'save-model': { type: 'string' },
  labels: { type: 'string' }, normalize: { type: 'string' }, mean: { type: 'string' }, std: { type: 'string' }, 'class-names': { type: 'string' }, scores: { type: 'string' },
} as const;

export type CliOptions = ReturnType<typeof parseCli>['values'];

export function parseCli(argv: string[]) {
  const takesValue = (name: string) => (OPTIONS as Record<string, { type: string }>)[name]?.type === 'string';
  return parseArgs({ args: joinNegativeValues(argv, takesValue), options: OPTIONS, allowPositionals: true, strict: true });
}
