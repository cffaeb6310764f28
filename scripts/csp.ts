/**
 * The Content-Security-Policy, declared once: index.html carries the page's policy as a
 * <meta http-equiv> tag (checked against PAGE_POLICY at build), and the dev and preview servers
 * (and the e2e server) send it as a header.
 *
 * A dedicated worker's requests are governed by the worker script's own response headers, not by
 * the page's policy: the worker's policy lets it connect to http(s) hosts, because a user may
 * load a model from the host they type; src/worker/workspace/fetch-files.ts (gatedFetch) is what narrows
 * that to this site and the hosts the user typed or confirmed.
 */
import type { Plugin } from 'vite';

const COMMON = {
  'default-src': ["'self'"],
  // 'wasm-unsafe-eval': tfjs's wasm backend compiles its .wasm files (loaded from the site).
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'", 'blob:'],
  // React and d3 set element styles; 'unsafe-inline' covers style attributes.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'none'"],
} as const;

type Directives = Record<string, readonly string[]>;

const write = (d: Directives) => Object.entries(d).map(([k, v]) => `${k} ${v.join(' ')}`).join('; ');

/** The page's policy: what index.html's meta tag says. */
export const PAGE_POLICY = write(COMMON);

/** The computation worker's policy (and the service worker's): the page's, but it may connect to an http(s) host the user typed. */
export const WORKER_POLICY = write({ ...COMMON, 'connect-src': ["'self'", 'https:', 'http:'] });

/**
 * The dev server's page policy: Vite's dev client needs its websocket, and the React plugin an
 * inline preamble script; neither exists in the built site.
 */
export const DEV_PAGE_POLICY = write({ ...COMMON, 'script-src': [...COMMON['script-src'], "'unsafe-inline'"], 'connect-src': ["'self'", 'ws:', 'wss:'] });

/** The policy to send with a response, by what asked for it (the Sec-Fetch-Dest request header). */
export function policyFor(dest: string | undefined, dev = false): string {
  if (dest === 'worker' || dest === 'serviceworker' || dest === 'sharedworker') return WORKER_POLICY;
  return dev ? DEV_PAGE_POLICY : PAGE_POLICY;
}

const META = /<meta http-equiv="Content-Security-Policy" content="([^"]*)"\s*\/?>/;

/** The policy as a header on every dev and preview response; index.html's meta tag checked (build) or relaxed (dev). */
export function contentSecurityPolicy(): Plugin {
  let dev = false;
  type Next = () => void;
  type Res = { setHeader(name: string, value: string): void };
  type Req = { headers: Record<string, string | string[] | undefined> };
  const header = (req: Req, res: Res, next: Next) => {
    const dest = req.headers['sec-fetch-dest'];
    res.setHeader('Content-Security-Policy', policyFor(Array.isArray(dest) ? dest[0] : dest, dev));
    next();
  };
  return {
    name: 'coar-content-security-policy',
    configResolved(config) {
      dev = config.command === 'serve' && !config.isProduction;
    },
    configureServer(server) {
      server.middlewares.use(header);
    },
    configurePreviewServer(server) {
      dev = false;
      server.middlewares.use(header);
    },
    transformIndexHtml(html) {
      const found = META.exec(html);
      if (!found) throw new Error('index.html has no <meta http-equiv="Content-Security-Policy"> tag: add one with scripts/csp.ts PAGE_POLICY.');
      if (found[1] !== PAGE_POLICY) throw new Error(`index.html's Content-Security-Policy differs from scripts/csp.ts PAGE_POLICY:\n  ${found[1]}\n  ${PAGE_POLICY}`);
      return dev ? html.replace(found[1], DEV_PAGE_POLICY) : html;
    },
  };
}
