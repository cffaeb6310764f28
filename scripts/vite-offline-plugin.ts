/**
 * Builds src/offline/service-worker.ts into <outDir>/sw.js with a precache manifest: every file
 * the build emits (entry and worker chunks, wasm, CSS, index.html) and every file under public/
 * but the large ones opened on demand (APP_CONFIG.onDemandAssets),
 * versioned by a hash of their contents so that each deploy gets a fresh cache.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin, type ResolvedConfig, type Rolldown } from 'vite';
import { APP_CONFIG } from '../src/app-config';

/** Large assets fetched only when opened (APP_CONFIG.onDemandAssets). */
const onDemand = (name: string) => APP_CONFIG.onDemandAssets.some((asset) => (asset.endsWith('/') ? name.startsWith(asset) : name === asset));

export const SERVICE_WORKER_FILE = 'sw.js';
const SERVICE_WORKER_SOURCE = 'src/offline/service-worker.ts';

/** What the service worker receives as __PRECACHE_MANIFEST__. */
export interface PrecacheManifest {
  version: string;
  /** Relative to the service worker's scope (the site's base). */
  urls: string[];
}

export function offlinePrecache(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'coar-offline-precache',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle: {
      // After Vite's own plugins have emitted index.html and the worker's chunks and wasm files.
      order: 'post',
      async handler(_options, bundle) {
        const files = new Map<string, string | Uint8Array>();
        for (const [name, output] of Object.entries(bundle)) {
          if (name.endsWith('.map')) continue;
          files.set(name, output.type === 'chunk' ? output.code : output.source);
        }
        if (config.publicDir && config.build.copyPublicDir) {
          for (const path of await listFiles(config.publicDir)) {
            const name = relative(config.publicDir, path).split(sep).join('/');
            if (!onDemand(name)) files.set(name, await readFile(path));
          }
        }
        files.delete(SERVICE_WORKER_FILE);
        const source = resolve(config.root, SERVICE_WORKER_SOURCE);
        const manifest = precacheManifest(files, await readFile(source, 'utf8'));
        this.emitFile({ type: 'asset', fileName: SERVICE_WORKER_FILE, source: await bundleServiceWorker(config, source, manifest) });
      },
    },
  };
}

function precacheManifest(files: Map<string, string | Uint8Array>, workerSource: string): PrecacheManifest {
  const names = [...files.keys()].sort();
  const version = createHash('sha256');
  for (const name of names) version.update(`${name}\0${sha256(files.get(name)!)}\n`);
  version.update(workerSource); // a changed fetch strategy also starts from a clean cache
  return {
    version: version.digest('hex').slice(0, 16),
    urls: names.map((name) => name.split('/').map(encodeURIComponent).join('/')),
  };
}

/** A classic script (iife): Chromium, Firefox and Safari all run it as a service worker. */
async function bundleServiceWorker(config: ResolvedConfig, entry: string, manifest: PrecacheManifest): Promise<string> {
  const result = await build({
    configFile: false,
    root: config.root,
    logLevel: 'warn',
    publicDir: false,
    define: { __PRECACHE_MANIFEST__: JSON.stringify(manifest) },
    build: {
      write: false,
      target: 'es2020',
      minify: config.build.minify !== false,
      reportCompressedSize: false,
      lib: { entry, formats: ['iife'], name: 'coarServiceWorker' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs[0].output.find((o) => o.type === 'chunk');
  if (!chunk) throw new Error(`building ${SERVICE_WORKER_SOURCE} produced no script`);
  return chunk.code;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [])));
  return nested.flat();
}

function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
