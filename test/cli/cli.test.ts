/**
 * The CLI end to end on the bundled demo, as a user runs it: run (sharded, resumed, merged),
 * eval --json, export npy/csv. Small sizes keep it quick; the numbers are checked, not timed.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { coar, coarFails } from '../helpers/cli';
import { decodeRunFile } from '../../src/coar/runfile';
import { decodeNpy } from '../../src/coar/export';
import { discoverComponents } from '../../src/coar/components';
import { modelWithAblatedWeights } from '../../src/coar/weight-edit';
import { loadModel, saveModel } from '../../src/node/files';

const dir = mkdtempSync(join(tmpdir(), 'coar-cli-'));
const MODEL = 'public/models/fashion-resnet/model.json';
const DATA = 'public/data/fashion-mnist-test';
// One fixed batch layout: left to timing, two processes under load can pick different layouts,
// whose float sums differ in the last bits, and the merge test compares outputs exactly.
const common = ['--model', MODEL, '--data', DATA, '--route', 'per-sample', '--examples', '6', '--alpha', '0.05', '--masks', '40', '--val-masks', '10', '--seed', '3'];

const readRun = (p: string) => decodeRunFile(new Uint8Array(readFileSync(p)));

describe('coar CLI', () => {
  const whole = join(dir, 'whole.coar');
  beforeAll(async () => {
    await coar(['run', ...common, '--out', whole]);
  });

  it('run writes a complete, fitted run and reports it as JSON', () => {
    const r = readRun(whole);
    expect(r.componentCount).toBe(272);
    expect(Array.from(r.train.done).every(Boolean)).toBe(true);
    expect(r.fit?.weights.length).toBe(6 * 272);
    expect(r.model.name).toBe(MODEL);
  });

  it('shards merge to exactly the unsharded run, and a shard file resumes to completion', async () => {
    const a = join(dir, 'a.coar');
    const b = join(dir, 'b.coar');
    const first = JSON.parse((await coar(['run', ...common, '--shard', '1/2', '--out', a])).stdout);
    expect(first.fitted).toBe(false);
    expect(first.trainDone).toBe(20);
    await coar(['run', ...common, '--shard', '2/2', '--out', b]);
    const merged = join(dir, 'merged.coar');
    const summary = JSON.parse((await coar(['merge', a, b, '--out', merged])).stdout);
    expect(summary.fitted).toBe(true);
    const m = readRun(merged);
    const w = readRun(whole);
    expect(m.train.outputs).toEqual(w.train.outputs);
    expect(m.validation.outputs).toEqual(w.validation.outputs);
    // Resuming shard 1's file without --shard computes only the missing half.
    const { stderr } = await coar(['run', ...common, '--out', a]);
    expect(stderr).toMatch(/resuming .*a\.coar: 20\/40 training and 5\/10 validation masks already done/);
    expect(readRun(a).train.outputs).toEqual(w.train.outputs);
  });

  it('eval --json prints one object with mean correlation per alpha for coar and baselines', async () => {
    const { stdout } = await coar(['eval', whole, '--model', MODEL, '--data', DATA, '--alphas', '0.025,0.05', '--masks', '10', '--baselines', 'loo,gradxparam', '--json']);
    const report = JSON.parse(stdout);
    expect(report.alphas).toEqual([0.025, 0.05]);
    for (const method of ['coar', 'loo', 'gradxparam']) {
      for (const alpha of ['0.025', '0.05']) {
        expect(report[method][alpha]).toBeGreaterThan(-1);
        expect(report[method][alpha]).toBeLessThanOrEqual(1);
      }
    }
  });

  it('exports attributions as .npy and .csv', async () => {
    const npy = join(dir, 'attr.npy');
    await coar(['export', whole, '--format', 'npy', '--out', npy]);
    const { data, shape } = decodeNpy(new Uint8Array(readFileSync(npy)));
    expect(shape).toEqual([6, 272]);
    expect(Array.from(data)).toEqual(Array.from(readRun(whole).fit!.weights));
    const csv = join(dir, 'attr.csv');
    await coar(['export', whole, '--format', 'csv', '--out', csv]);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(7);
    expect(lines[0]).toContain('stem_conv#0');
  });

  it('refuses bad input with a clear message and exit code 2', async () => {
    expect(await coarFails(['run', ...common, '--alpha', '1.5', '--out', join(dir, 'x.coar')])).toMatch(/alpha must be a fraction strictly between 0 and 1 \(got 1.5\)/);
    expect(await coarFails(['run', ...common, '--examples', '0', '--out', join(dir, 'x.coar')])).toMatch(/zero examples given/);
    expect(await coarFails(['run', ...common, '--masks', '60', '--out', whole])).toMatch(/already holds a run with other settings \(trainMasks: file has 40, asked 60\)/);
    expect(await coarFails(['run', '--model', 'nope/model.json', '--data', DATA, '--out', join(dir, 'x.coar')])).toMatch(/Cannot read model file nope\/model.json/);
    expect(existsSync(join(dir, 'x.coar'))).toBe(false);
  });

  it('saves progress on Ctrl-C and resumes from it', async () => {
    const out = join(dir, 'interrupted.coar');
    const args = ['--import', 'tsx', 'src/cli/main.ts', 'run', ...common.slice(0, -6), '--masks', '4000', '--val-masks', '10', '--seed', '3', '--out', out];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    // Interrupt once sampling has made progress.
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => { if (/train\s+\d+\/4010 masks/.test(stderr)) { clearInterval(timer); resolve(); } }, 100);
    });
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/interrupted: progress saved/);
    expect(code).toBe(130);
    const saved = readRun(out);
    const done = saved.train.done.reduce((a, b) => a + b, 0);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(4000);
    expect(saved.fit).toBeUndefined();
  });

  it('edit --goal fix finds the smallest k and prints before/after numbers, actual and predicted', async () => {
    const { stdout } = await coar(['edit', 'public/runs/fashion-resnet-demo.coar', '--model', MODEL, '--data', DATA, '--target', 'example:23', '--goal', 'fix', '--max-k', '10', '--json']);
    const r = JSON.parse(stdout);
    expect(r.reached).toBe(true);
    expect(r.k).toBeLessThanOrEqual(10);
    expect(r.componentNames).toHaveLength(r.k);
    expect(r.target).toMatchObject({ count: 1, accuracyBefore: 0, accuracyAfter: 1 });
    expect(r.reference.count).toBe(63);
    expect(typeof r.reference.predictedAccuracyAfter).toBe('number');
    expect(r.evaluation.count).toBe(999);
    // Judged on the whole picture: the goal is met and the other images lose less than 5 points.
    expect(r.verdict).toBe('success');
    expect(r.damageBudget).toBe(0.05);
    expect(r.damage.drop).toBeLessThanOrEqual(0.05);
    const { stdout: strict } = await coar(['edit', 'public/runs/fashion-resnet-demo.coar', '--model', MODEL, '--data', DATA, '--target', 'example:23', '--goal', 'fix', '--max-k', '10', '--damage-budget', '0']);
    expect(strict).toMatch(/verdict: goal met but OVER the damage budget: the (reference examples|other data-set images) lose [\d.]+ accuracy points \([\d.]+% → [\d.]+%\); budget 0 points/);
    const { stdout: fixedK } = await coar(['edit', 'public/runs/fashion-resnet-demo.coar', '--model', MODEL, '--data', DATA, '--target', 'example:23', '--k', String(r.k), '--json']);
    expect(JSON.parse(fixedK).target).toEqual(r.target); // --k K reproduces the goal search's outcome
  });

  it('refuses to resume a run file with another model', async () => {
    const original = await loadModel(MODEL);
    const { model: edited } = await modelWithAblatedWeights(original, discoverComponents(original), [0]);
    const otherDir = join(dir, 'other-model');
    await saveModel(edited, otherDir);
    const stderr = await coarFails(['run', ...common.slice(2), '--model', join(otherDir, 'model.json'), '--out', whole]);
    expect(stderr).toMatch(/This run file was made with model "public\/models\/fashion-resnet\/model.json" \(fingerprint [0-9a-f]{8}…\), not the loaded model/);
  });
});
