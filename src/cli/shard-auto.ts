/**
 * `coar run --shard auto`: the shard taken from a scheduler's array index, so one command line
 * serves every task of a Kubernetes Indexed Job or a SLURM job array (deploy/, docs/SCALE-OUT.md).
 * Pure: the environment comes in as an object, nothing is read from the process here.
 *
 *   Kubernetes Indexed Job  JOB_COMPLETION_INDEX (0-based); the Job's completions are not visible
 *                           to the pod, so the count comes from --shard-count K (= completions).
 *   SLURM job array         shard = SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of
 *                           SLURM_ARRAY_TASK_COUNT (a contiguous range, step 1: --array=0-7 or 1-8).
 *
 * Shards are 0-based here, as everywhere in the engine; people (and `{shard}` in --out) count
 * from 1, as `--shard i/k` does.
 */
import { CoarError } from '../coar/errors';
import { printable } from '../coar/printable';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export interface SchedulerShard extends Shard {
  scheduler: 'kubernetes' | 'slurm';
  /** One line for stderr: where the shard came from. */
  description: string;
}

const KUBERNETES_INDEX = 'JOB_COMPLETION_INDEX';
const SLURM_ID = 'SLURM_ARRAY_TASK_ID';
const SLURM_MIN = 'SLURM_ARRAY_TASK_MIN';
const SLURM_MAX = 'SLURM_ARRAY_TASK_MAX';
const SLURM_COUNT = 'SLURM_ARRAY_TASK_COUNT';
const SLURM_STEP = 'SLURM_ARRAY_TASK_STEP';

const usage = (message: string) => new CoarError(message, 'usage');

/** An empty variable counts as unset (`export X=` is how shells unset for a child, too). */
const read = (env: Environment, name: string): string | undefined => (env[name] === undefined || env[name] === '' ? undefined : env[name]);

/** A variable that must hold a whole number (digits only: no sign, no spaces, no exponent). */
function wholeNumber(env: Environment, name: string): number {
  const value = read(env, name)!;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw usage(`--shard auto: ${name} must be a whole number (got "${printable(value)}").`);
  return n;
}

/** --shard-count K: a positive whole number. */
export function parseShardCount(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw usage(`--shard-count must be a positive whole number (got "${printable(value)}").`);
  return n;
}

/**
 * The shard of this task, from the scheduler's variables in `env`. `shardCount` is --shard-count
 * as typed: required under Kubernetes, and checked against SLURM_ARRAY_TASK_COUNT under SLURM.
 */
export function shardFromScheduler(env: Environment, shardCount?: string): SchedulerShard {
  const count = parseShardCount(shardCount);
  const kubernetes = read(env, KUBERNETES_INDEX) !== undefined;
  const slurm = read(env, SLURM_ID) !== undefined;
  if (kubernetes && slurm) {
    throw usage(`--shard auto: both ${KUBERNETES_INDEX} (Kubernetes) and ${SLURM_ID} (SLURM) are set, so the shard is ambiguous. Unset one of them, or give the shard by hand with --shard i/k.`);
  }
  if (kubernetes) return kubernetesShard(env, count);
  if (slurm) return slurmShard(env, count);
  const strays = [SLURM_MIN, SLURM_COUNT].filter((name) => read(env, name) !== undefined);
  throw usage(`--shard auto needs a scheduler's array index, and none is set: ${KUBERNETES_INDEX} (a Kubernetes Indexed Job; pass --shard-count K = the Job's completions) or ${SLURM_ID} with ${SLURM_MIN} and ${SLURM_COUNT} (a SLURM job array, sbatch --array)${strays.length ? ` (${strays.join(' and ')} ${strays.length > 1 ? 'are' : 'is'} set, but not ${SLURM_ID})` : ''}. Outside a scheduler, give the shard by hand with --shard i/k.`);
}

function kubernetesShard(env: Environment, count: number | undefined): SchedulerShard {
  const index = wholeNumber(env, KUBERNETES_INDEX);
  if (count === undefined) {
    throw usage(`--shard auto: ${KUBERNETES_INDEX}=${index} (Kubernetes Indexed Job), but a pod is not told the Job's number of completions: pass --shard-count K, with K = spec.completions.`);
  }
  if (index >= count) {
    throw usage(`--shard auto: ${KUBERNETES_INDEX}=${index} is out of range for --shard-count ${count} (indices 0 to ${count - 1}): the Job's spec.completions and --shard-count must be equal.`);
  }
  return {
    scheduler: 'kubernetes',
    index,
    count,
    description: `--shard auto: Kubernetes Indexed Job, ${KUBERNETES_INDEX}=${index} of ${count} → shard ${index + 1}/${count}`,
  };
}

function slurmShard(env: Environment, count: number | undefined): SchedulerShard {
  const missing = [SLURM_MIN, SLURM_COUNT].filter((name) => read(env, name) === undefined);
  if (missing.length) {
    throw usage(`--shard auto: ${SLURM_ID} is set but ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not; SLURM sets all three in a job array task (sbatch --array). Outside one, give the shard by hand with --shard i/k.`);
  }
  const id = wholeNumber(env, SLURM_ID);
  const min = wholeNumber(env, SLURM_MIN);
  const tasks = wholeNumber(env, SLURM_COUNT);
  if (tasks < 1) throw usage(`--shard auto: ${SLURM_COUNT} must be at least 1 (got ${tasks}).`);
  // The index is ID − MIN only when the array is one range in steps of 1 (--array=0-7, 1-8, 0-7%2).
  if (read(env, SLURM_STEP) !== undefined) {
    const step = wholeNumber(env, SLURM_STEP);
    if (step !== 1) throw usage(`--shard auto: the SLURM array steps by ${step} (${SLURM_STEP}=${step}); task IDs must be consecutive, e.g. --array=0-${tasks - 1}.`);
  }
  if (read(env, SLURM_MAX) !== undefined) {
    const max = wholeNumber(env, SLURM_MAX);
    if (max - min + 1 !== tasks) {
      throw usage(`--shard auto: the SLURM array is not one consecutive range (${SLURM_MIN}=${min}, ${SLURM_MAX}=${max}, but ${SLURM_COUNT}=${tasks}); use --array=${min}-${min + tasks - 1}.`);
    }
  }
  const index = id - min;
  if (id < min || index >= tasks) {
    throw usage(`--shard auto: ${SLURM_ID}=${id} is out of range for an array of ${tasks} tasks from ${min} (${SLURM_MIN}=${min}, ${SLURM_COUNT}=${tasks}).`);
  }
  if (count !== undefined && count !== tasks) {
    throw usage(`--shard auto: --shard-count ${count} contradicts the SLURM array's ${tasks} tasks (${SLURM_COUNT}=${tasks}): make sbatch --array and --shard-count agree, or leave --shard-count out.`);
  }
  return {
    scheduler: 'slurm',
    index,
    count: tasks,
    description: `--shard auto: SLURM array, ${SLURM_ID}=${id} (tasks ${min}–${min + tasks - 1}) → shard ${index + 1}/${tasks}`,
  };
}

/**
 * --shard and --shard-count together: `auto` asks the scheduler, `i/k` is parsed by `parseManual`
 * (args.ts's parseShard), and --shard-count goes only with auto.
 */
export function resolveShard(
  shard: string | undefined,
  shardCount: string | undefined,
  env: Environment,
  parseManual: (value: string | undefined) => Shard | undefined,
): { shard?: Shard; description?: string } {
  if (shard === 'auto') {
    const s = shardFromScheduler(env, shardCount);
    return { shard: { index: s.index, count: s.count }, description: s.description };
  }
  if (shardCount !== undefined) {
    throw usage(`--shard-count goes with --shard auto (a Kubernetes Indexed Job's completions); with --shard i/k the count is k${shard === undefined ? '' : ` (got --shard ${printable(shard)})`}.`);
  }
  return { shard: parseManual(shard) };
}

const PLACEHOLDER = /\{([A-Za-z_]+)\}/g;

/**
 * --out with `{shard}` (1-based, as in --shard i/k) and `{count}` filled in, so one command line
 * writes one file per task: `--out /shards/run-{shard}-of-{count}.coar`. Other `{name}`s are
 * refused (a typo would have every task write the same file), as are placeholders without a shard.
 */
export function expandOutPattern(out: string, shard: Shard | undefined): string {
  const names = [...out.matchAll(PLACEHOLDER)].map((m) => m[1]);
  const unknown = names.filter((n) => n !== 'shard' && n !== 'count');
  if (unknown.length) throw usage(`--out ${printable(out)}: unknown placeholder {${printable(unknown[0])}}; the ones filled in are {shard} (the shard number, 1 to k) and {count} (k).`);
  if (!names.length) return out;
  if (!shard) throw usage(`--out ${printable(out)} has a {shard}/{count} placeholder, but no shard is given: add --shard auto (or --shard i/k).`);
  return out.replace(PLACEHOLDER, (_, name: string) => String(name === 'shard' ? shard.index + 1 : shard.count));
}
