/**
 * Reading and checking how pixels become model inputs (0–1, −1–1, mean/std). No tfjs here, so the
 * page can check the form's values with the same rules (and messages) as the worker and the CLI.
 */
import type { Normalization } from './dataset';
import { check } from './errors';

const NORMALIZATIONS = ['0-1', '-1-1', 'mean-std'] as const;

function parseValues(what: string, text: string): number[] {
  const values = text.split(',').map((s) => s.trim());
  return values.map((s) => {
    const v = Number(s);
    check(s !== '' && Number.isFinite(v), `Normalization ${what} "${text}": "${s}" is not a number (give comma-separated numbers, e.g. 0.5,0.5,0.5).`, 'bad-normalization');
    return v;
  });
}

/** '0-1' | '-1-1' | 'mean-std' (with comma lists: one value, or one per channel, on the 0–1 pixel scale). */
export function parseNormalization(text: string, mean?: string, std?: string): Normalization {
  const kind = text.trim();
  check((NORMALIZATIONS as readonly string[]).includes(kind), `Unknown normalization "${text}": use 0-1 (pixels/255), -1-1 (pixels/127.5 − 1) or mean-std (with mean and std values).`, 'bad-normalization');
  if (kind !== 'mean-std') {
    check(mean === undefined && std === undefined, `Mean and std values only apply to mean-std normalization (got normalization "${kind}").`, 'bad-normalization');
    return { kind } as Normalization;
  }
  check(mean !== undefined && std !== undefined, 'mean-std normalization needs both mean and std values (one, or one per channel, e.g. mean 0.485,0.456,0.406 and std 0.229,0.224,0.225).', 'bad-normalization');
  return checkNormalization({ kind: 'mean-std', mean: parseValues('mean', mean), std: parseValues('std', std) });
}

/** Checks mean/std values; with `channels`, also their count, and repeats a single value per channel. */
export function checkNormalization(n: Normalization, channels?: number): Normalization {
  if (n.kind !== 'mean-std') {
    check((NORMALIZATIONS as readonly string[]).includes(n.kind), `Unknown normalization "${(n as { kind: string }).kind}".`, 'bad-normalization');
    return n;
  }
  n.std.forEach((s, c) => check(Number.isFinite(s) && s > 0, `Normalization std must be positive: value ${c + 1} is ${s}.`, 'bad-normalization'));
  n.mean.forEach((m, c) => check(Number.isFinite(m) && m >= 0 && m <= 1,
    `Normalization mean value ${c + 1} is ${m}, outside 0–1: means are on the 0–1 pixel scale (divide 0–255 values by 255).`, 'bad-normalization'));
  if (channels === undefined) return n;
  const expand = (what: string, values: number[]) => {
    check(values.length === 1 || values.length === channels,
      `Normalization ${what} has ${values.length} values; the model's input has ${channels} channel${channels === 1 ? '' : 's'}, so give 1${channels === 1 ? '' : ` or ${channels}`}.`, 'bad-normalization');
    return values.length === channels ? [...values] : Array.from({ length: channels }, () => values[0]);
  };
  return { kind: 'mean-std', mean: expand('mean', n.mean), std: expand('std', n.std) };
}
