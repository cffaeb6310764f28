#!/usr/bin/env node
/**
 * Builds the coar-engine package (run by `npm pack` through `prepack`, or `npm run build` here):
 * TypeScript compiles ../../src/coar into dist/ as ES modules with .d.ts files (tsconfig.json,
 * the engine's own: no DOM, no Node types), then every relative import in the output gets the
 * explicit file it names (`./errors` → `./errors.js`, `./baselines` → `./baselines/index.js`),
 * as Node's ES module loader requires. The sources keep their extensionless imports, which the
 * app's bundler and tsx read as they are.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
const built = spawnSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.json'), '--noEmit', 'false'], { stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

/** Relative specifiers in `from '…'`, `import '…'` and `import('…')`. */
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g;

function withExtension(file, spec) {
  if (/\.(m?js|json)$/.test(spec)) return spec;
  const base = join(dirname(file), spec);
  if (existsSync(`${base}.js`)) return `${spec}.js`;
  if (existsSync(join(base, 'index.js'))) return `${spec}/index.js`;
  throw new Error(`${relative(here, file)}: cannot resolve "${spec}" in the build output`);
}

function* outputFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* outputFiles(path);
    else if (/\.(js|d\.ts)$/.test(name)) yield path;
  }
}

let files = 0;
for (const file of outputFiles(dist)) {
  const text = readFileSync(file, 'utf8');
  const fixed = text.replace(SPECIFIER, (_, lead, quote, spec) => `${lead}${quote}${withExtension(file, spec)}${quote}`);
  if (fixed !== text) writeFileSync(file, fixed);
  files++;
}
for (const entry of ['index.js', 'index.d.ts', 'core.js', 'core.d.ts']) {
  if (!existsSync(join(dist, entry))) throw new Error(`the build did not write dist/${entry}`);
}
process.stdout.write(`coar-engine: ${files} files in ${relative(process.cwd(), dist) || '.'}\n`);
