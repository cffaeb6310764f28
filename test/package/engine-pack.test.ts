/**
 * The engine as an npm package: `npm pack` on packages/coar-engine (its prepack builds it),
 * installed with tfjs into a fresh folder outside the repository, then used only through its
 * public entry points — the README's Node example runs a small COAR run on the bundled demo model,
 * the core entry loads without tfjs, and the browser examples typecheck against the declarations.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkgDir = join(root, 'packages/coar-engine');
const require = createRequire(import.meta.url);
const tfjsVersion = (require('@tensorflow/tfjs/package.json') as { version: string }).version;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

let dir: string;
let app: string;

function node(args: string[], cwd = app): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coar-engine-pack-'));
  execFileSync(npm, ['pack', '--pack-destination', dir], { cwd: pkgDir, stdio: ['ignore', 'ignore', 'pipe'] });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack wrote no tarball');
  app = join(dir, 'app');
  execFileSync('mkdir', [app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'coar-engine-consumer', private: true, type: 'module' }));
  execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(dir, tarball),
    `@tensorflow/tfjs@${tfjsVersion}`, `@tensorflow/tfjs-backend-wasm@${tfjsVersion}`], { cwd: app, stdio: ['ignore', 'ignore', 'pipe'] });
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('coar-engine npm package', () => {
  it('is a public ESM package with .d.ts files, tfjs as a peer dependency, only dist/ and the README packed', () => {
    const installed = join(app, 'node_modules/coar-engine');
    const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8'));
    expect(pkg.private).toBeUndefined();
    expect(pkg.type).toBe('module');
    expect(pkg.peerDependencies['@tensorflow/tfjs']).toBeDefined();
    expect(pkg.dependencies?.['@tensorflow/tfjs']).toBeUndefined();
    for (const entry of ['.', './core']) {
      for (const file of [pkg.exports[entry].types, pkg.exports[entry].default]) expect(existsSync(join(installed, file)), `${entry}: ${file}`).toBe(true);
    }
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist', 'package.json']);
  });

  it("runs the README's Node example: a small COAR run on the bundled demo model, through the public API only", () => {
    copyFileSync(join(pkgDir, 'examples/node-run.mjs'), join(app, 'node-run.mjs'));
    const r = node(['node-run.mjs', join(root, 'public/models/fashion-resnet'), join(root, 'public/data/fashion-mnist-test')]);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(out.components).toBe(272);
    expect(out.examples).toBe(8);
    expect(out.validationCorrelation).toBeGreaterThan(0.2);
    expect(out.top).toHaveLength(3);
    for (const t of out.top) expect(t.name).toMatch(/^[\w/]+#\d+$/);
    expect(existsSync(join(app, 'run.coar'))).toBe(true);
  });

  it('the core entry reads that run file without loading tfjs; internal modules are not reachable', () => {
    // A resolve hook that refuses any @tensorflow module: the core must not need one.
    writeFileSync(join(app, 'no-tfjs.mjs'), [
      "import { register } from 'node:module';",
      "register('data:text/javascript,' + encodeURIComponent(`export async function resolve(s, c, next) { if (s.startsWith('@tensorflow/')) throw new Error('tfjs loaded: ' + s); return next(s, c); }`));",
    ].join('\n'));
    writeFileSync(join(app, 'core-read.mjs'), [
      "import { readFileSync } from 'node:fs';",
      "import { componentNames, decodeRunFile, runProgress, welchScores, topComponents, COMPONENT_KINDS, ABLATION_KINDS, BASELINE_NAMES } from 'coar-engine/core';",
      "const run = decodeRunFile(new Uint8Array(readFileSync('run.coar')));",
      "const scores = welchScores({ componentCount: run.componentCount, ...run.fit }, [0], [1, 2, 3, 4, 5, 6, 7]);",
      "console.log(JSON.stringify({ N: run.componentCount, names: componentNames(run).length, progress: runProgress(run), top: topComponents(scores, 2).length,",
      "  kinds: COMPONENT_KINDS.map((k) => k.id), ablations: ABLATION_KINDS, baselines: BASELINE_NAMES }));",
    ].join('\n'));
    const r = node(['--import', './no-tfjs.mjs', 'core-read.mjs']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ N: 272, names: 272, progress: { trainDone: 150, trainTotal: 150, validationDone: 30 }, top: 2 });
    expect(out.kinds).toContain('conv-filter');
    expect(out.ablations).toContain('zero-weights');
    expect(out.baselines).toContain('loo');
    // The hook does refuse tfjs (so the check above means something), and deep imports are closed.
    expect(node(['--import', './no-tfjs.mjs', '--input-type=module', '-e', "await import('coar-engine')"]).stderr).toMatch(/tfjs loaded/);
    expect(node(['--input-type=module', '-e', "await import('coar-engine/dist/run.js')"]).stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it("the README's browser examples typecheck against the packed declarations", () => {
    for (const f of ['browser-core.ts', 'browser-run.ts']) copyFileSync(join(pkgDir, 'examples', f), join(app, f));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'], types: [], strict: true, noEmit: true, skipLibCheck: true },
      files: ['browser-core.ts', 'browser-run.ts'],
    }));
    const r = node([require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.json']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("the README shows the examples as they are in examples/ (the files tested here)", () => {
    const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');
    for (const f of ['node-run.mjs', 'browser-core.ts', 'browser-run.ts']) expect(readme, f).toContain(readFileSync(join(pkgDir, 'examples', f), 'utf8').trim());
  });
});
