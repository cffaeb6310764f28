/**
 * Scale-out on schedulers (docs/SCALE-OUT.md): `coar run --shard auto` from Kubernetes and SLURM
 * variables, shards merged bit-identical to one process, and the recipes under deploy/ (the
 * Kubernetes manifest against the API schema, the sbatch scripts run as SLURM would run them).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1';
import { PersistentVolumeClaim } from 'kubernetes-models/v1';
import { decodeRunFile } from '../../src/coar/runfile';
import { parseShard } from '../../src/cli/args';
import { expandOutPattern, resolveShard, shardFromScheduler } from '../../src/cli/shard-auto';

const exec = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'coar-scale-out-'));
const MODEL = 'public/models/fashion-resnet/model.json';
const DATA = 'public/data/fashion-mnist-test';
// A fixed batch layout: two processes left to timing may pick different ones, whose float sums
// differ in the last bits, and the shards are compared with one process bit for bit.
const SETTINGS = ['--route', 'per-sample', '--examples', '5', '--alpha', '0.05', '--masks', '30', '--val-masks', '10', '--seed', '11'];
const common = ['--model', MODEL, '--data', DATA, ...SETTINGS];

/** The CLI as a scheduler starts it: a child process with the given variables (and no stray ones). */
async function coarWith(env: Record<string, string>, args: string[]) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SLURM_') && k !== 'JOB_COMPLETION_INDEX'));
  return exec(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...base, ...env }, maxBuffer: 1 << 24 });
}

async function failsWith(env: Record<string, string>, args: string[]): Promise<string> {
  try {
    await coarWith(env, args);
  } catch (e) {
    const err = e as { code: number; stderr: string };
    expect(err.code).toBe(2);
    return err.stderr;
  }
  throw new Error('expected the command to fail');
}

const readRun = (p: string) => decodeRunFile(new Uint8Array(readFileSync(p)));

/** The unsharded run every sharded one is compared with, made once. */
const whole = join(dir, 'whole.coar');
let wholeMade: Promise<unknown> | undefined;
const makeWhole = () => (wholeMade ??= coarWith({}, ['run', ...common, '--out', whole]));
const slurm = (id: number, min: number, count: number, extra: Record<string, string> = {}) => ({
  SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_COUNT: String(count), ...extra,
});

describe('--shard auto: the shard from the scheduler (pure)', () => {
  it('reads a SLURM array: index = ID − MIN, count = COUNT', () => {
    expect(shardFromScheduler(slurm(0, 0, 2))).toMatchObject({ scheduler: 'slurm', index: 0, count: 2 });
    expect(shardFromScheduler(slurm(8, 1, 8, { SLURM_ARRAY_TASK_MAX: '8', SLURM_ARRAY_TASK_STEP: '1' }))).toMatchObject({ index: 7, count: 8 });
    expect(shardFromScheduler(slurm(3, 0, 4), '4').description).toBe('--shard auto: SLURM array, SLURM_ARRAY_TASK_ID=3 (tasks 0–3) → shard 4/4');
  });

  it('reads a Kubernetes Indexed Job: JOB_COMPLETION_INDEX of --shard-count', () => {
    expect(shardFromScheduler({ JOB_COMPLETION_INDEX: '0' }, '3')).toMatchObject({ scheduler: 'kubernetes', index: 0, count: 3 });
    const last = shardFromScheduler({ JOB_COMPLETION_INDEX: '2' }, '3');
    expect(last).toMatchObject({ index: 2, count: 3 });
    expect(last.description).toBe('--shard auto: Kubernetes Indexed Job, JOB_COMPLETION_INDEX=2 of 3 → shard 3/3');
    // Every index of a K-completion Job lands on a different shard, covering all K.
    const k = 5;
    const shards = Array.from({ length: k }, (_, i) => shardFromScheduler({ JOB_COMPLETION_INDEX: String(i) }, String(k)).index);
    expect(shards).toEqual([0, 1, 2, 3, 4]);
  });

  it('says what is wrong: no scheduler, missing or malformed variables, out of range, contradictions', () => {
    const refused = (env: Record<string, string>, count?: string) => {
      try {
        shardFromScheduler(env, count);
      } catch (e) {
        expect((e as { code: string }).code).toBe('usage');
        return (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refused({})).toMatch(/none is set: JOB_COMPLETION_INDEX .* SLURM_ARRAY_TASK_ID .*--shard i\/k/);
    expect(refused({ SLURM_ARRAY_TASK_COUNT: '4' })).toMatch(/SLURM_ARRAY_TASK_COUNT is set, but not SLURM_ARRAY_TASK_ID/);
    expect(refused({ JOB_COMPLETION_INDEX: '', SLURM_ARRAY_TASK_ID: '' })).toMatch(/none is set/);
    // Kubernetes
    expect(refused({ JOB_COMPLETION_INDEX: '1' })).toMatch(/pass --shard-count K, with K = spec.completions/);
    expect(refused({ JOB_COMPLETION_INDEX: '4' }, '4')).toMatch(/JOB_COMPLETION_INDEX=4 is out of range for --shard-count 4 \(indices 0 to 3\)/);
    for (const bad of ['-1', '1.5', ' 1', '1e2', 'one', '0x1', '99999999999999999999']) {
      expect(refused({ JOB_COMPLETION_INDEX: bad }, '4')).toMatch(/JOB_COMPLETION_INDEX must be a whole number/);
    }
    for (const bad of ['0', '-2', '2.5', 'four', '']) expect(refused({ JOB_COMPLETION_INDEX: '0' }, bad)).toMatch(/--shard-count must be a positive whole number/);
    // SLURM
    expect(refused({ SLURM_ARRAY_TASK_ID: '3' })).toMatch(/SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT are not/);
    expect(refused({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '0' })).toMatch(/SLURM_ARRAY_TASK_COUNT is not/);
    expect(refused(slurm(0, 0, 2, { SLURM_ARRAY_TASK_ID: 'x1' }))).toMatch(/SLURM_ARRAY_TASK_ID must be a whole number \(got "x1"\)/);
    expect(refused(slurm(0, 0, 2, { SLURM_ARRAY_TASK_MIN: '-1' }))).toMatch(/SLURM_ARRAY_TASK_MIN must be a whole number/);
    expect(refused(slurm(0, 0, 2, { SLURM_ARRAY_TASK_COUNT: '2.0' }))).toMatch(/SLURM_ARRAY_TASK_COUNT must be a whole number/);
    expect(refused(slurm(0, 0, 0))).toMatch(/SLURM_ARRAY_TASK_COUNT must be at least 1/);
    expect(refused(slurm(5, 3, 2))).toMatch(/SLURM_ARRAY_TASK_ID=5 is out of range for an array of 2 tasks from 3/);
    expect(refused(slurm(2, 3, 2))).toMatch(/SLURM_ARRAY_TASK_ID=2 is out of range/);
    expect(refused(slurm(1, 0, 2), '3')).toMatch(/--shard-count 3 contradicts the SLURM array's 2 tasks/);
    expect(refused(slurm(2, 0, 3, { SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_MAX: '4' }))).toMatch(/steps by 2/);
    expect(refused(slurm(3, 0, 3, { SLURM_ARRAY_TASK_MAX: '5' }))).toMatch(/not one consecutive range/);
    // Both
    expect(refused({ JOB_COMPLETION_INDEX: '0', ...slurm(0, 0, 2) }, '2')).toMatch(/both JOB_COMPLETION_INDEX \(Kubernetes\) and SLURM_ARRAY_TASK_ID \(SLURM\) are set/);
  });

  it('--shard-count goes with --shard auto only; --shard i/k is unchanged', () => {
    expect(resolveShard('auto', '2', { JOB_COMPLETION_INDEX: '1' }, parseShard).shard).toEqual({ index: 1, count: 2 });
    expect(resolveShard('2/3', undefined, { JOB_COMPLETION_INDEX: '0' }, parseShard)).toEqual({ shard: { index: 1, count: 3 } });
    expect(resolveShard(undefined, undefined, {}, parseShard)).toEqual({ shard: undefined });
    expect(() => resolveShard('1/2', '2', {}, parseShard)).toThrow(/--shard-count goes with --shard auto .*got --shard 1\/2/);
    expect(() => resolveShard(undefined, '2', {}, parseShard)).toThrow(/--shard-count goes with --shard auto/);
  });

  it('fills {shard} (1-based) and {count} into --out, and refuses what would make tasks share a file', () => {
    expect(expandOutPattern('/s/run-{shard}-of-{count}.coar', { index: 0, count: 4 })).toBe('/s/run-1-of-4.coar');
    expect(expandOutPattern('/s/{count}/{shard}/{shard}.coar', { index: 9, count: 10 })).toBe('/s/10/10/10.coar');
    expect(expandOutPattern('run.coar', undefined)).toBe('run.coar');
    expect(expandOutPattern('run.coar', { index: 1, count: 2 })).toBe('run.coar');
    expect(() => expandOutPattern('run-{shard}.coar', undefined)).toThrow(/no shard is given: add --shard auto/);
    expect(() => expandOutPattern('run-{shards}.coar', { index: 0, count: 2 })).toThrow(/unknown placeholder \{shards\}/);
  });
});

describe('--shard auto end to end: shards under SLURM variables merge bit-identical to one process', () => {
  beforeAll(makeWhole);

  it('two SLURM array tasks (IDs 0 and 1 of 2) and coar merge give the unsharded fit exactly', async () => {
    const out = join(dir, 'slurm-{shard}-of-{count}.coar');
    const [a, b] = await Promise.all([0, 1].map((id) => coarWith(slurm(id, 0, 2), ['run', ...common, '--shard', 'auto', '--out', out])));
    expect(a.stderr).toContain('--shard auto: SLURM array, SLURM_ARRAY_TASK_ID=0 (tasks 0–1) → shard 1/2, writing');
    expect(b.stderr).toContain('SLURM_ARRAY_TASK_ID=1 (tasks 0–1) → shard 2/2');
    expect(JSON.parse(a.stdout)).toMatchObject({ shard: '1/2', out: join(dir, 'slurm-1-of-2.coar'), fitted: false, trainDone: 15 });
    expect(JSON.parse(b.stdout)).toMatchObject({ shard: '2/2', out: join(dir, 'slurm-2-of-2.coar'), fitted: false, trainDone: 15 });
    const merged = join(dir, 'slurm-merged.coar');
    const summary = JSON.parse((await coarWith({}, ['merge', join(dir, 'slurm-1-of-2.coar'), join(dir, 'slurm-2-of-2.coar'), '--out', merged])).stdout);
    expect(summary.fitted).toBe(true);
    const m = readRun(merged);
    const w = readRun(whole);
    expect(m.fit!.weights.length).toBe(5 * w.componentCount);
    // Bit for bit: the same bytes, not just equal-looking numbers.
    expect(Buffer.from(m.fit!.weights.buffer, m.fit!.weights.byteOffset, m.fit!.weights.byteLength)
      .equals(Buffer.from(w.fit!.weights.buffer, w.fit!.weights.byteOffset, w.fit!.weights.byteLength))).toBe(true);
    expect(Array.from(m.fit!.bias)).toEqual(Array.from(w.fit!.bias));
    expect(m.fit!.lambda).toBe(w.fit!.lambda);
  });

  it('refuses, before any work, a run whose scheduler variables are missing or contradict --shard-count', async () => {
    const out = join(dir, 'k8s-{shard}.coar');
    expect(await failsWith({}, ['run', ...common, '--shard', 'auto', '--out', out])).toMatch(/--shard auto needs a scheduler's array index/);
    expect(await failsWith({ JOB_COMPLETION_INDEX: '2' }, ['run', ...common, '--shard', 'auto', '--shard-count', '2', '--out', out])).toMatch(/JOB_COMPLETION_INDEX=2 is out of range for --shard-count 2/);
    expect(await failsWith(slurm(0, 0, 2), ['run', ...common, '--shard', 'auto', '--shard-count', '3', '--out', out])).toMatch(/--shard-count 3 contradicts/);
    expect(await failsWith({}, ['run', ...common, '--out', out])).toMatch(/placeholder, but no shard is given/);
    expect(existsSync(join(dir, 'k8s-1.coar'))).toBe(false);
  });

  it('a task that finds another shard in its --out refuses to overwrite it', async () => {
    // A fixed --out under --shard auto: every task would write the same file.
    const shared = join(dir, 'slurm-1-of-2.coar');
    expect(await failsWith({ JOB_COMPLETION_INDEX: '1' }, ['run', ...common, '--shard', 'auto', '--shard-count', '2', '--out', shared]))
      .toMatch(/holds shard 1\/2, but this is shard 2\/2: give each shard its own --out/);
  });
});

/**
 * The schema validator passes fields it does not know (the OpenAPI schema leaves them open), which
 * the API server's strict field validation (kubectl's default) refuses. The package's TypeScript
 * types are closed: each document, as an object literal of its type, must compile. Returns the
 * compiler's complaints.
 */
function unknownFields(docs: { apiVersion: string; kind: string }[]): string[] {
  const types: Record<string, [string, string]> = { 'v1/PersistentVolumeClaim': ['IPersistentVolumeClaim', 'kubernetes-models/v1'], 'batch/v1/Job': ['IJob', 'kubernetes-models/batch/v1'] };
  const source = docs.map((doc, i) => {
    const [type, module] = types[`${doc.apiVersion}/${doc.kind}`];
    return `import type { ${type} as T${i} } from '${module}';\nexport const d${i}: T${i} = ${JSON.stringify(doc)};`;
  }).join('\n');
  const file = join(process.cwd(), 'test/cli/__manifest-types.ts');
  const host = ts.createCompilerHost({});
  const { getSourceFile, fileExists } = host;
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, source, language) : getSourceFile.call(host, name, language, ...rest));
  host.fileExists = (name) => name === file || fileExists.call(host, name);
  const program = ts.createProgram([file], {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  }, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' '));
}

describe('deploy/kubernetes/coar-run-job.yaml', () => {
  const text = readFileSync('deploy/kubernetes/coar-run-job.yaml', 'utf8');
  const parse = (source: string) => parseAllDocuments(source).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as { apiVersion: string; kind: string; metadata: { name: string; labels?: Record<string, string> }; spec: any };
  });
  const CLASSES: Record<string, new (data: any) => { validate(): void }> = { 'v1/PersistentVolumeClaim': PersistentVolumeClaim, 'batch/v1/Job': Job };
  const validate = (doc: { apiVersion: string; kind: string }) => {
    const Model = CLASSES[`${doc.apiVersion}/${doc.kind}`];
    if (!Model) throw new Error(`no schema for ${doc.apiVersion} ${doc.kind}`);
    new Model(doc).validate();
  };
  const docs = parse(text);
  const pvc = docs.find((d) => d.kind === 'PersistentVolumeClaim')!;
  const run = docs.find((d) => d.kind === 'Job' && d.spec.completionMode === 'Indexed')!;
  const merge = docs.find((d) => d.kind === 'Job' && d !== run)!;

  it('holds a volume claim, an Indexed Job and a merge Job, each valid against the Kubernetes API schema', () => {
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['PersistentVolumeClaim/coar-shards', 'Job/coar-run', 'Job/coar-merge']);
    for (const doc of docs) validate(doc);
  });

  it('the schema check rejects a broken manifest', () => {
    const broken = (edit: (d: ReturnType<typeof parse>) => void) => {
      const copy = parse(text);
      edit(copy);
      return () => copy.forEach(validate);
    };
    expect(broken((d) => { d[1].spec.completions = 'four'; })).toThrow(/completions must be integer/);
    expect(broken((d) => { d[1].spec.completionMode = 'Indexd'; })).toThrow(/completionMode must be equal to one of the allowed values/);
    expect(broken((d) => { d[1].spec.template.spec.containers[0].args = '--shard auto'; })).toThrow(/args must be array/);
    expect(broken((d) => { delete d[2].spec.template.spec.containers; })).toThrow(/spec\/template\/spec must have required property containers/);
    expect(broken((d) => { d[0].spec.resources.requests.storage = ['1Gi']; })).toThrow(/storage/);
    // Via text too: a number where the volume mount's path (a string) belongs.
    expect(() => parse(text.replace('mountPath: /shards', 'mountPath: 42')).forEach(validate)).toThrow(/mountPath must be string/);
  });

  it('has no field the Kubernetes API does not know (strict field validation), and a misspelt one is caught', () => {
    expect(unknownFields(docs)).toEqual([]);
    const typo = parse(text.replace('backoffLimitPerIndex:', 'backofLimitPerIndex:'));
    expect(() => typo.forEach(validate)).not.toThrow(); // what the schema alone lets through
    expect(unknownFields(typo).join('\n')).toMatch(/'"?backofLimitPerIndex"?' does not exist in type 'IJobSpec'/);
  });

  it('the shard Job runs --shard auto with --shard-count = completions = parallelism, one file per shard on the claim', () => {
    const pod = run.spec.template.spec;
    const args: string[] = pod.containers[0].args;
    const flag = (name: string) => args[args.indexOf(name) + 1];
    expect(args[0]).toBe('run');
    expect(flag('--shard')).toBe('auto');
    const k = Number(flag('--shard-count'));
    expect(k).toBeGreaterThan(1);
    expect(run.spec.completions).toBe(k);
    expect(run.spec.parallelism).toBe(k);
    expect(flag('--out')).toMatch(/^\/shards\/.*\{shard\}.*\.coar$/);
    expect(pod.restartPolicy).toBe('Never'); // required by backoffLimitPerIndex
    // The shard Job and the merge Job mount the same claim at the same place.
    for (const job of [run, merge]) {
      const spec = job.spec.template.spec;
      expect(spec.volumes[0].persistentVolumeClaim.claimName).toBe(pvc.metadata.name);
      expect(spec.containers[0].volumeMounts[0]).toEqual({ name: spec.volumes[0].name, mountPath: '/shards' });
    }
    // The merge reads exactly the files the shards write: the same K and the same name.
    const script: string = merge.spec.template.spec.containers[0].args[0];
    expect(Number(/\bK=(\d+)/.exec(script)?.[1])).toBe(k);
    expect(flag('--out').replace('{shard}', '$i').replace('{count}', '$K')).toBe(/f="([^"]+)"/.exec(script)?.[1]);
    expect(script).toMatch(/src\/cli\/main\.ts merge \$files --out \/shards\/run\.coar/);
    // `kubectl apply -l coar-step=run`, then `-l coar-step=merge`, as the header says.
    expect([pvc, run].map((d) => d.metadata.labels?.['coar-step'])).toEqual(['run', 'run']);
    expect(merge.metadata.labels?.['coar-step']).toBe('merge');
  });

  it('the container image holds what the manifest names (Dockerfile)', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const copied = [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
    for (const path of copied) expect(existsSync(path), path).toBe(true);
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "--import", "tsx", "src\/cli\/main\.ts"\]$/m);
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    const args: string[] = run.spec.template.spec.containers[0].args;
    for (const flag of ['--model', '--data']) {
      const path = args[args.indexOf(flag) + 1];
      expect(existsSync(path), path).toBe(true);
      expect(copied.some((c) => path.startsWith(`${c}/`)), `${path} is copied into the image`).toBe(true);
    }
  });
});

describe('deploy/slurm', () => {
  const array = readFileSync('deploy/slurm/coar-array.sbatch', 'utf8');

  it('the scripts parse (bash -n)', async () => {
    for (const f of ['coar-array.sbatch', 'coar-merge.sbatch', 'submit.sh', 'local-array.sh']) await exec('bash', ['-n', join('deploy/slurm', f)]);
  });

  it('the #SBATCH array range and --shard-count agree, and the merge waits for the array (afterok)', () => {
    const range = /^#SBATCH --array=(\d+)-(\d+)(%\d+)?$/m.exec(array);
    expect(range).not.toBeNull();
    const tasks = Number(range![2]) - Number(range![1]) + 1;
    expect(Number(/^SHARDS=\$\{SHARDS:-(\d+)\}$/m.exec(array)?.[1])).toBe(tasks);
    expect(array).toMatch(/--shard auto --shard-count "\$SHARDS" --out "\$SHARD_DIR\/run-\{shard\}-of-\{count\}\.coar"/);
    // #SBATCH lines count only before the first command.
    const firstCommand = array.split('\n').findIndex((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(array.split('\n').slice(firstCommand).some((l) => l.startsWith('#SBATCH'))).toBe(false);
    const merge = readFileSync('deploy/slurm/coar-merge.sbatch', 'utf8');
    expect(Number(/^SHARDS=\$\{SHARDS:-(\d+)\}$/m.exec(merge)?.[1])).toBe(tasks);
    const submit = readFileSync('deploy/slurm/submit.sh', 'utf8');
    expect(submit).toMatch(/--array="0-\$\(\(SHARDS - 1\)\)"/);
    expect(submit).toMatch(/--dependency="afterok:\$ARRAY_JOB_ID"/);
  });

  it('the array script and the merge script, run as SLURM runs them, make a fitted run equal to one process', async () => {
    const shardDir = join(dir, 'slurm-recipe');
    const env = { SHARDS: '2', SHARD_DIR: shardDir, MODEL, DATA, RUN_FLAGS: SETTINGS.join(' '), SLURM_SUBMIT_DIR: process.cwd() };
    await Promise.all([0, 1].map((id) => exec('bash', ['deploy/slurm/coar-array.sbatch'], { env: { ...process.env, ...env, ...slurm(id, 0, 2) } })));
    const { stdout } = await exec('bash', ['deploy/slurm/coar-merge.sbatch'], { env: { ...process.env, ...env } });
    expect(JSON.parse(stdout).fitted).toBe(true);
    await makeWhole();
    expect(Array.from(readRun(join(shardDir, 'run.coar')).fit!.weights)).toEqual(Array.from(readRun(whole).fit!.weights));
  });
});
