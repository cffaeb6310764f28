/**
 * The code's boundaries: the import rules (.dependency-cruiser.cjs, `npm run lint:imports`) hold on
 * the tree and fail on deliberate violations, and the engine's typecheck (no DOM, no Node types)
 * refuses a page global.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const depcruise = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');
const temps: string[] = [];

interface Violation { rule: { name: string }; from: string; to: string; cycle?: unknown[] }

/** Runs the rules in `cwd` as `npm run lint:imports` does (its exit status), and again for the violations as JSON. */
function cruise(cwd: string): { status: number | null; violations: Violation[]; stderr: string } {
  const run = (format: string) => spawnSync(process.execPath, [depcruise, 'src', '--config', config, '--output-type', format], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  const lint = run('err');
  const json = run('json');
  return { status: lint.status, violations: JSON.parse(json.stdout).summary.violations, stderr: lint.stdout + lint.stderr };
}

/** A small tree with the repository's layout (and its node_modules), made of the given files. */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'coar-boundaries-'));
  temps.push(dir);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', jsx: 'react-jsx', strict: true }, include: ['src'] }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('import rules', () => {
  it('hold on the code as it is', () => {
    const r = cruise(root);
    expect(r.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(r.status, r.stderr).toBe(0);
  });

  it('fail on deliberate violations, each named by its rule', () => {
    const dir = tree({
      // The engine: a core (what core.ts re-exports) and a tfjs-backed module.
      'src/coar/core.ts': "export * from './names';\nexport * from './leaky';\nexport type { RunOut } from './run';\n",
      'src/coar/names.ts': "import type * as tf from '@tensorflow/tfjs';\nexport type T = tf.Tensor;\nexport const names = ['a#0'];\n",
      'src/coar/leaky.ts': "import * as tf from '@tensorflow/tfjs';\nimport { runIt } from './run';\nexport const leak = () => [tf.tensor1d([1]), runIt()];\n",
      'src/coar/run.ts': "import * as tf from '@tensorflow/tfjs';\nexport interface RunOut { n: number }\nexport const runIt = (): RunOut => ({ n: tf.tensor1d([1]).size });\n",
      'src/coar/drawing.ts': "import * as d3 from 'd3';\nimport { useState } from 'react';\nimport { readFileSync } from 'node:fs';\nimport { page } from '../ui/page';\nexport const x = [d3, useState, readFileSync, page];\n",
      // The page: tfjs, a tfjs-backed engine module, worker code; type imports and core modules are fine.
      'src/ui/page.ts': "import * as tf from '@tensorflow/tfjs';\nimport { runIt, type RunOut } from '../coar/run';\nimport { names } from '../coar/names';\nimport { names as again } from '../coar/core';\nexport const page = [tf, runIt, names, again] as unknown as RunOut;\n",
      'src/ui/typed.ts': "import type { RunOut } from '../coar/run';\nimport type { Job } from '../worker/jobs';\nexport type Both = [RunOut, Job];\n",
      'src/ui/calls-worker.ts': "import { startJob } from '../worker/jobs';\nexport const go = startJob;\n",
      'src/worker/jobs.ts': "import { runIt } from '../coar/run';\nimport { page } from '../ui/page';\nexport interface Job { id: number }\nexport const startJob = () => [runIt(), page];\n",
      // A type-only cycle.
      'src/worker/protocol/protocol.ts': "import type { Extra } from './protocol-extra';\nexport interface Message { extra: Extra }\n",
      'src/worker/protocol/protocol-extra.ts': "import type { Message } from './protocol';\nexport interface Extra { parent?: Message }\n",
    });
    const r = cruise(dir);
    expect(r.status, r.stderr).not.toBe(0);
    const found = new Set(r.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to.replace(/^.*node_modules\/(@tensorflow\/tfjs|react|d3)\/.*/, '$1')}`));
    const expected = [
      'page-not-to-tfjs: src/ui/page.ts → @tensorflow/tfjs',
      'page-not-to-engine-tfjs-parts: src/ui/page.ts → src/coar/run.ts',
      'page-to-worker-code: src/ui/calls-worker.ts → src/worker/jobs.ts',
      'core-not-to-tfjs: src/coar/leaky.ts → @tensorflow/tfjs',
      'core-not-to-tfjs-parts: src/coar/leaky.ts → src/coar/run.ts',
      'engine-not-to-ui-libraries: src/coar/drawing.ts → d3',
      'engine-not-to-ui-libraries: src/coar/drawing.ts → react',
      'engine-not-to-node-builtins: src/coar/drawing.ts → fs',
      'engine-not-to-app: src/coar/drawing.ts → src/ui/page.ts',
      'worker-not-to-page: src/worker/jobs.ts → src/ui/page.ts',
    ];
    for (const e of expected) expect([...found], `${e}\n${[...found].join("\n")}`).toContain(e);
    expect([...found].some((v) => v.startsWith('no-cycles: src/worker/protocol'))).toBe(true);
    // What is allowed stays allowed: type imports, core modules, the core entry, tfjs types in the core.
    const allowed = [...found].filter((v) => /src\/ui\/typed\.ts|src\/coar\/names\.ts|page\.ts → src\/coar\/(names|core)\.ts|core\.ts →/.test(v));
    expect(allowed).toEqual([]);
  });
});

describe("the engine's typecheck", () => {
  function engineDiagnostics(source: string): string[] {
    const configPath = join(root, 'packages/coar-engine/tsconfig.json');
    const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const dir = mkdtempSync(join(tmpdir(), 'coar-engine-lib-'));
    temps.push(dir);
    const file = join(dir, 'uses-globals.ts');
    writeFileSync(file, source);
    const program = ts.createProgram([file, join(root, 'packages/coar-engine/types/env.d.ts')], { ...parsed.options, rootDir: undefined, noEmit: true });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  it('has what a page, a worker and Node share, and refuses the DOM and Node globals', () => {
    expect(engineDiagnostics('export const t = [performance.now(), new TextEncoder().encode("a"), new URL("https://x/"), structuredClone(1)];\nsetTimeout(() => {}, 0);\n')).toEqual([]);
    const errors = engineDiagnostics('export const t = [document.title, window.innerWidth, Buffer.from([]), process.env];\n');
    for (const name of ['document', 'window', 'Buffer', 'process']) expect(errors.join('\n')).toContain(`Cannot find name '${name}'`);
  });
});
