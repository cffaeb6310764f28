/**
 * The offline cache. Built by scripts/vite-offline-plugin.ts into <site>/sw.js, whose directory
 * is the scope, so URLs here are resolved against the scope and the site works from any sub-path.
 * - build files (precache manifest): cache-first, fetched on install, one cache per deploy;
 * - the app's page (scope root or index.html, any query such as ?preset=backdoor): network first,
 *   the cached index.html offline (matched by its own URL, so the query does not matter);
 * - other same-origin GETs: network first, the last good response kept for offline use;
 * - cross-origin requests (a model URL the user typed): untouched, never cached.
 */
declare const self: ServiceWorkerGlobalScope;
declare const __PRECACHE_MANIFEST__: { version: string; urls: string[] };

const manifest = __PRECACHE_MANIFEST__;
const scope = self.registration.scope;
// Per scope: other deploys on the same origin (other sub-paths) keep their own caches.
const cachePrefix = `coar-explorer:${scope}:`;
const precacheName = `${cachePrefix}precache-${manifest.version}`;
const runtimeName = `${cachePrefix}runtime-${manifest.version}`;
const precached = new Set(manifest.urls.map((url) => new URL(url, scope).href));
const indexUrl = new URL('index.html', scope).href;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(precacheName);
      // 'reload': files with stable names (models, data) must not come from a stale HTTP cache.
      await cache.addAll([...precached].map((url) => new Request(url, { cache: 'reload' })));
      // No skipWaiting: a tab still running the old deploy keeps its cache until every tab has closed.
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const current = [precacheName, runtimeName];
      await Promise.all(names.filter((n) => n.startsWith(cachePrefix) && !current.includes(n)).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && isAppPage(url)) event.respondWith(networkFirst(request, precacheName, indexUrl));
  else if (precached.has(url.href)) event.respondWith(cacheFirst(request));
  else event.respondWith(networkFirst(request, runtimeName, request.url, event));
});

function isAppPage(url: URL): boolean {
  const path = url.origin + url.pathname;
  return path === scope || path === indexUrl;
}

async function cacheFirst(request: Request): Promise<Response> {
  const cache = await caches.open(precacheName);
  const hit = await cache.match(request, { ignoreVary: true });
  if (hit) return hit;
  const response = await fetch(request);
  if (cacheable(response)) await cache.put(request, response.clone());
  return response;
}

/** The network's answer; when it fails, `fallbackUrl` from `cacheName` (or the network error). */
async function networkFirst(request: Request, cacheName: string, fallbackUrl: string, keepIn?: FetchEvent): Promise<Response> {
  try {
    const response = await fetch(request);
    if (keepIn && cacheable(response)) {
      const copy = response.clone();
      keepIn.waitUntil(caches.open(cacheName).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch (error) {
    const cached = await (await caches.open(cacheName)).match(fallbackUrl, { ignoreVary: true });
    if (cached) return cached;
    throw error;
  }
}

/** Whole, same-origin, successful answers only (not partial ranges, not errors). */
function cacheable(response: Response): boolean {
  return response.status === 200 && response.type === 'basic';
}

export {};
