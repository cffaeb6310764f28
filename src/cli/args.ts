/** Parsing of CLI option values into run settings, with messages that say what to type instead. */
import { CoarError } from '../coar/errors';
import type { AblationKind, OutputKind } from '../coar/settings';
import type { SamplingMode } from '../coar/masks';

export function parseNumber(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new CoarError(`--${name} is required.`, 'usage');
    return fallback;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new CoarError(`--${name} must be a number (got "${value}").`, 'usage');
  return n;
}

export function parseInteger(name: string, value: string | undefined, fallback?: number): number {
  const n = parseNumber(name, value, fallback);
  if (!Number.isInteger(n)) throw new CoarError(`--${name} must be a whole number (got "${value}").`, 'usage');
  return n;
}

/** "64" = the first 64 examples; "0-9,20,30-31" = those indices. */
export function parseExamples(value: string | undefined, datasetSize: number): number[] {
  const text = value ?? '64';
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count === 0) throw new CoarError('Choose at least one example to study (zero examples given).', 'empty-data');
    if (count > datasetSize) throw new CoarError(`--examples ${count} asks for more examples than the data set has (${datasetSize}).`, 'bad-example');
    return Array.from({ length: count }, (_, i) => i);
  }
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new CoarError(`--examples: cannot read "${part}" (use a count like 64, or indices like 0-9,20).`, 'usage');
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    for (let i = a; i <= b; i++) out.push(i);
  }
  return out;
}

export function parseChoice<T extends string>(name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) throw new CoarError(`--${name} must be one of ${choices.join(', ')} (got "${value}").`, 'usage');
  return value as T;
}

export const ABLATION_KINDS: readonly AblationKind[] = ['zero-weights', 'zero-output', 'mean'];
export const OUTPUT_KINDS: readonly OutputKind[] = ['margin', 'logit', 'logprob'];
export const SAMPLING_MODES: readonly SamplingMode[] = ['bernoulli', 'exact'];

/** "2/4" (1-based, as people count) → { index: 1, count: 4 }. */
export function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const i = m ? Number(m[1]) : NaN;
  const k = m ? Number(m[2]) : NaN;
  if (!m || k < 1 || i < 1 || i > k) throw new CoarError(`--shard must be i/k with 1 ≤ i ≤ k, e.g. 1/4 (got "${value}").`, 'usage');
  return { index: i - 1, count: k };
}

export function parseList(value: string | undefined): string[] {
  return value ? value.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m >= 60 ? `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m` : `${m}:${String(s % 60).padStart(2, '0')}`;
}
