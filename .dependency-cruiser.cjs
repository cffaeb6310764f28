/**
 * The code's import boundaries, checked by `npm run lint:imports` (part of `npm test`) with
 * dependency-cruiser. Paths are relative to the folder it runs in (the repository root).
 *
 * - The page (src/ui, src/main.tsx) never imports tfjs, and runs only the engine's tfjs-free
 *   core: src/coar/core.ts and the modules it re-exports (types may come from anywhere).
 * - The core is tfjs-free: the modules core.ts re-exports (read from core.ts itself, so the list
 *   lives in one place) import neither tfjs nor a tfjs-backed engine module, except for types.
 * - The engine (src/coar) imports no React, no d3, no Node built-in and nothing of the app.
 *   (No DOM either: its own tsconfig, packages/coar-engine/tsconfig.json, leaves the DOM out.)
 * - No import cycles in src/.
 */
const { existsSync, readFileSync } = require('node:fs');
const { join, posix } = require('node:path');

const CORE_ENTRY = 'src/coar/core.ts';

/** The engine modules in the core: core.ts and every module it re-exports as values (not `export type`). */
function coreModules(root = process.cwd()) {
  const entry = join(root, CORE_ENTRY);
  const text = existsSync(entry) ? readFileSync(entry, 'utf8') : '';
  const modules = [CORE_ENTRY];
  for (const m of text.matchAll(/^export\s+(?!type\b)[^;]*?from\s+'(\.\/[^']+)'/gm)) {
    const base = posix.join('src/coar', m[1]);
    modules.push(existsSync(join(root, `${base}.ts`)) ? `${base}.ts` : `${base}/index.ts`);
    // A registry folder is in the core as a whole: its index and every entry file.
    if (!existsSync(join(root, `${base}.ts`))) modules.push(`${base}/`);
  }
  return modules;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CORE = coreModules().map((m) => (m.endsWith('/') ? `^${escape(m)}` : `^${escape(m)}$`));

const PAGE = '^src/(ui/|main\\.tsx$)';
const ENGINE = '^src/coar/';
const TFJS = '(^|/)@tensorflow/';
/** Worker modules the page may load: the message types and the checks shared with the worker. */
const PAGE_SHARED_WORKER = ['^src/worker/protocol/', '^src/worker/workspace/url-rules\\.ts$', '^src/worker/jobs/run-request-checks\\.ts$', '^src/worker/backend/backend-rules\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'page-not-to-tfjs',
      comment: 'The page never loads TensorFlow.js: the worker owns it (docs/ARCHITECTURE.md).',
      severity: 'error',
      from: { path: PAGE },
      to: { path: TFJS },
    },
    {
      name: 'page-not-to-engine-tfjs-parts',
      comment: 'The page runs only the engine\'s tfjs-free core: src/coar/core.ts or a module it re-exports. From the tfjs-backed modules it may import types (import type), which carry no code.',
      severity: 'error',
      from: { path: PAGE },
      to: { path: ENGINE, pathNot: CORE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'page-to-worker-code',
      comment: 'The page talks to the worker by messages: it may import the worker\'s types, and run code only from the message and check modules shared with it.',
      severity: 'error',
      from: { path: PAGE },
      to: { path: '^src/worker/', pathNot: PAGE_SHARED_WORKER, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'page-shared-worker-code-core-only',
      comment: 'Worker modules the page loads run no tfjs: they use the engine\'s core only.',
      severity: 'error',
      from: { path: PAGE_SHARED_WORKER },
      to: { path: [TFJS, ENGINE], pathNot: CORE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-not-to-tfjs',
      comment: 'The engine\'s core (what core.ts re-exports) loads no tfjs: import it for types only (import type).',
      severity: 'error',
      from: { path: CORE },
      to: { path: TFJS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-not-to-tfjs-parts',
      comment: 'The engine\'s core imports no tfjs-backed engine module, except for types; move the pure part into a core module instead.',
      severity: 'error',
      from: { path: CORE },
      to: { path: ENGINE, pathNot: CORE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-not-to-ui-libraries',
      comment: 'The engine runs in a worker and in Node: no React, no d3.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: '(^|/)(react|react-dom|scheduler|d3|d3-[a-z-]+)(/|$)' },
    },
    {
      name: 'engine-not-to-app',
      comment: 'The engine is a library (packages/coar-engine): it imports nothing of the page, the worker, the CLI or the Node adapters.',
      severity: 'error',
      from: { path: ENGINE },
      to: { path: '^src/(ui|worker|cli|node|offline)/|^src/[^/]+\\.tsx?$' },
    },
    {
      name: 'engine-not-to-node-builtins',
      comment: 'The engine runs in browsers too: Node built-ins belong in src/node (the adapters) or src/cli.',
      severity: 'error',
      from: { path: ENGINE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'worker-not-to-page',
      comment: 'Data flows UI → worker → engine; the worker never imports the page.',
      severity: 'error',
      from: { path: '^src/worker/' },
      to: { path: PAGE },
    },
    {
      name: 'no-cycles',
      comment: 'No import cycles, type-only ones included: shared types go in a leaf module.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
