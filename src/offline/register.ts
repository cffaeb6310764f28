/**
 * Importing this module registers the offline cache (sw.js, built by scripts/vite-offline-plugin.ts)
 * in production builds. `navigator.serviceWorker.ready` resolves once the precache is complete.
 */
registerOfflineCache();

function registerOfflineCache(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // Next to index.html, so the scope is the site's base, whatever sub-path it is served from.
  const url = new URL(`${import.meta.env.BASE_URL}sw.js`, location.href);
  const register = () =>
    navigator.serviceWorker.register(url).catch((e: unknown) => {
      // Not fatal: the app works online without it (file:// pages, privacy modes).
      console.warn(`Offline use is not available: ${(e as Error).message ?? e}`);
    });
  // After the page has loaded, so precaching does not compete with the first render.
  if (document.readyState === 'complete') void register();
  else addEventListener('load', () => void register(), { once: true });
}
