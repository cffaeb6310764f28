/** Parsing of CLI option values into run settings, with messages that say what to type instead. */
import { CoarError } from '../coar/errors';
import { LIMITS } from '../coar/limits';
import { printable } from '../coar/printable';

export function parseNumber(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new CoarError(`--${name} is required.`, 'usage');
    return fallback;
  }
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new CoarError(`--${name} must be a number (got "${printable(value)}").`, 'usage');
  return n;
}

export function parseInteger(name: string, value: string | undefined, fallback?: number): number {
  const n = parseNumber(name, value, fallback);
  if (!Number.isInteger(n)) throw new CoarError(`--${name} must be a whole number (got "${printable(value)}").`, 'usage');
  return n;
}

/**
 * A count option: a whole number from `min` to `max`. "--masks must be a positive whole number (got -3)"
 * says what to type; the maximum names docs/LIMITS.md.
 */
export function parseCount(name: string, value: string | undefined, fallback: number, max: number, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  const what = min === 1 ? 'a positive whole number' : `a whole number from ${min}`;
  if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new CoarError(`--${name} must be ${what} (got ${printable(value)}).`, 'usage');
  if (n > max) throw new CoarError(`--${name} ${n} is over the limit of ${max.toLocaleString('en-US')} (docs/LIMITS.md).`, 'usage');
  return n;
}

/** --val-masks: 0 (no validation) or enough masks for a correlation to mean something. */
export function parseValMasks(value: string | undefined, fallback: number): number {
  const n = parseCount('val-masks', value, fallback, LIMITS.masks, 0);
  if (n > 0 && n < LIMITS.minValidationMasks) {
    throw new CoarError(`--val-masks must be 0 (no validation) or at least ${LIMITS.minValidationMasks}: a correlation over ${n} masks means little (got ${n}).`, 'usage');
  }
  return n;
}

/** "64" = the first 64 examples; "0-9,20,30-31" = those indices (each once, at most LIMITS.examples in all). */
export function parseExamples(value: string | undefined, datasetSize: number): number[] {
  const text = value ?? '64';
  const tooMany = (count: number) => new CoarError(`--examples asks for ${count.toLocaleString('en-US')} examples, over the limit of ${LIMITS.examples.toLocaleString('en-US')} per run (docs/LIMITS.md).`, 'usage');
  if (/^\d+$/.test(text)) {
    const count = Number(text);
    if (count === 0) throw new CoarError('Choose at least one example to study (zero examples given).', 'empty-data');
    if (count > LIMITS.examples) throw tooMany(count);
    if (count > datasetSize) throw new CoarError(`--examples ${count} asks for more examples than the data set has (${datasetSize}).`, 'bad-example');
    return Array.from({ length: count }, (_, i) => i);
  }
  const ranges: [number, number][] = [];
  let total = 0;
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new CoarError(`--examples: cannot read "${printable(part)}" (use a count like 64, or indices like 0-9,20).`, 'usage');
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new CoarError(`--examples: the range ${a}-${b} ends before it starts.`, 'usage');
    total += b - a + 1;
    // Counted before anything is expanded: 0-3000000000 would not fit in memory.
    if (total > LIMITS.examples) throw tooMany(total);
    ranges.push([a, b]);
  }
  const out: number[] = [];
  const seen = new Map<number, number>();
  for (const [a, b] of ranges) {
    for (let i = a; i <= b; i++) {
      out.push(i);
      seen.set(i, (seen.get(i) ?? 0) + 1);
    }
  }
  const repeated = [...seen].filter(([, times]) => times > 1);
  if (repeated.length) {
    const named = repeated.slice(0, 10).map(([i, times]) => `${i} (${times} times)`).join(', ');
    throw new CoarError(`--examples names some examples more than once: ${named}${repeated.length > 10 ? ', …' : ''}. Each example is studied once: list it once.`, 'usage');
  }
  return out;
}

/**
 * node:util parseArgs takes "--masks -3" for two options and answers "ambiguous". A value that looks
 * like a negative number after an option that takes a value is joined to it ("--masks=-3"), so the
 * option's own check can say what is wrong with it.
 */
export function joinNegativeValues(argv: string[], takesValue: (option: string) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = argv[i + 1];
    if (/^--[^=]+$/.test(arg) && takesValue(arg.slice(2)) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parseChoice<T extends string>(name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) throw new CoarError(`--${name} must be one of ${choices.join(', ')} (got "${printable(value)}").`, 'usage');
  return value as T;
}

export { ABLATION_KINDS, OUTPUT_KINDS, SAMPLING_MODES } from '../coar/settings';

/** "2/4" (1-based, as people count) → { index: 1, count: 4 }. */
export function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const i = m ? Number(m[1]) : NaN;
  const k = m ? Number(m[2]) : NaN;
  if (!m || k < 1 || i < 1 || i > k) throw new CoarError(`--shard must be i/k with 1 ≤ i ≤ k, e.g. 1/4 (got "${printable(value)}").`, 'usage');
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
