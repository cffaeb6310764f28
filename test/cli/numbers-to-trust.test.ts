/**
 * The CLI on a Keras-style model with a softmax output and image folders whose names sort in
 * another order than the model's classes: logit margins with the softmax bypassed, accuracy and
 * margins before any run, the likely class order offered, every conversion said once, and
 * Ctrl-C under `npm run coar` saving the finished masks.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeRunFile } from '../../src/coar/runfile';
import { runProgress } from '../../src/coar/runfile';
import { coar } from '../helpers/cli';
import { CLASSES, writeBrightnessImages, writeBrightnessModel } from '../helpers/brightness-model';

const dir = mkdtempSync(join(tmpdir(), 'coar-trust-'));
const IMAGES = join(dir, 'images');
const CLASS_FILE = join(dir, 'classes.txt');
let MODEL = '';

beforeAll(async () => {
  MODEL = await writeBrightnessModel(join(dir, 'model'));
  writeBrightnessImages(IMAGES);
  writeFileSync(CLASS_FILE, `${CLASSES.join('\n')}\n`);
});

const runFile = (path: string) => decodeRunFile(new Uint8Array(readFileSync(path)));
const maxAbs = (a: Float32Array) => Math.max(...Array.from(a, Math.abs));

describe('numbers to trust on a softmax model with sorted folder labels', () => {
  it('inspect --data: accuracy, margins, the softmax bypassed, conversions, and the likely class order', async () => {
    const { stdout, stderr } = await coar(['inspect', '--model', MODEL, '--data', IMAGES]);
    const report = JSON.parse(stdout);
    expect(report.model.scores).toBe('before-activation');
    expect(report.model.scoresNote).toMatch(/final softmax of layer "probs" is bypassed/);
    // Folders sort as bright, dark, mid: under that order no prediction is right.
    expect(report.data.classNames).toEqual(['bright', 'dark', 'mid']);
    expect(report.data.accuracy).toBe(0);
    expect(report.data.likelyClassNames).toEqual(CLASSES);
    expect(report.data.likelyAccuracy).toBe(1);
    expect(report.data.conversions).toEqual(['15 images resized from 8×8 to 4×4 (×0.50)', '15 images in colour turned grey (the model takes 1 channel)']);
    expect(stderr).toMatch(/warning: the class order looks wrong: 0\.0% correct with the given order, 100\.0% \(15\/15\)/);
    expect(stderr).toContain(`pass --class-names classes.txt:\n  dark\n  mid\n  bright\n`);
    // Said once each.
    expect(stderr.match(/resized from 8×8/g)).toHaveLength(1);
  });

  it('run with the class names: logit margins (|margin| > 1), accuracy printed, the bypass said and recorded', async () => {
    const out = join(dir, 'logits.coar');
    const { stdout, stderr } = await coar(['run', '--model', MODEL, '--data', IMAGES, '--class-names', CLASS_FILE, '--examples', '15', '--alpha', '0.5', '--masks', '30', '--val-masks', '10', '--out', out]);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ scores: 'before-activation', accuracy: 1, fitted: true });
    expect(stderr).toMatch(/scores: Margins are logit gaps: the final softmax of layer "probs" is bypassed/);
    expect(stderr).toMatch(/data: accuracy 100\.0% \(15\/15/);
    expect(stderr).not.toMatch(/class order looks wrong/);
    const run = runFile(out);
    expect(run.settings.scores).toBe('before-activation');
    expect(maxAbs(run.baseOutputs)).toBeGreaterThan(1);
  });

  it('--scores as-is keeps probability margins within [−1, 1] and warns', async () => {
    const out = join(dir, 'probs.coar');
    const { stderr } = await coar(['run', '--model', MODEL, '--data', IMAGES, '--class-names', CLASS_FILE, '--scores', 'as-is', '--examples', '15', '--alpha', '0.5', '--masks', '30', '--val-masks', '10', '--out', out]);
    expect(stderr).toMatch(/warning: the model's outputs are probabilities/);
    const run = runFile(out);
    expect(run.settings.scores).toBe('as-is');
    expect(maxAbs(run.baseOutputs)).toBeLessThanOrEqual(1);
  });

  it('--scores log gives the same margins as the bypass (log-softmax gaps are logit gaps)', async () => {
    const out = join(dir, 'log.coar');
    await coar(['run', '--model', MODEL, '--data', IMAGES, '--class-names', CLASS_FILE, '--scores', 'log', '--examples', '15', '--alpha', '0.5', '--masks', '30', '--val-masks', '10', '--out', out]);
    const logits = runFile(join(dir, 'logits.coar')).baseOutputs;
    runFile(out).baseOutputs.forEach((m, i) => expect(m).toBeCloseTo(logits[i], 4));
  });
});

/** Starts a long run in its own process group (as a terminal's Ctrl-C signals every process of it); resolves once masks are saved. */
async function startLongRun(command: string, args: string[], out: string) {
  const child = spawn(command, [...args, 'run', '--model', 'public/models/fashion-resnet/model.json', '--data', 'public/data/fashion-mnist-test',
    '--examples', '64', '--masks', '20000', '--val-masks', '0', '--out', out], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stderr: '' };
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no progress within 120 s:\n${output.stderr}`)), 120_000);
    child.stderr.on('data', (d) => {
      output.stderr += d;
      if (/train\s+\d+\/\d+ masks/.test(output.stderr) && existsSync(out)) { clearTimeout(timer); resolve(); }
    });
  });
  return { child, output, exited };
}

describe('Ctrl-C saves the finished masks', () => {
  it('under npm run coar: stops after the chunk in flight, saves and exits 130 (a shell reports npm ended by SIGINT as 130 too)', async () => {
    const out = join(dir, 'interrupted.coar');
    const { child, output, exited } = await startLongRun('npm', ['run', 'coar', '--'], out);
    process.kill(-child.pid!, 'SIGINT');
    const { code, signal } = await exited;
    expect(output.stderr).toMatch(/SIGINT: stopping after the current chunk/);
    expect(output.stderr).toMatch(/interrupted: progress saved/);
    expect(code === 130 || signal === 'SIGINT', `exit ${code}, signal ${signal}`).toBe(true);
    const saved = runProgress(runFile(out));
    expect(saved.trainDone).toBeGreaterThan(0);
    expect(saved.trainDone).toBeLessThan(20000);
  }, 180_000);

  it('under tsx, which kills a child that cannot answer within 30 ms: every chunk finished before the signal is in the file', async () => {
    const out = join(dir, 'killed.coar');
    const { child, output, exited } = await startLongRun('npx', ['tsx', 'src/cli/main.ts'], out);
    // Progress is reported after each chunk is written: what was reported done must be in the file.
    const reported = Math.max(...[...output.stderr.matchAll(/train\s+(\d+)\/\d+ masks/g)].map((m) => Number(m[1])));
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    expect(reported).toBeGreaterThan(0);
    expect(runProgress(runFile(out)).trainDone).toBeGreaterThanOrEqual(reported);
  }, 180_000);
});
