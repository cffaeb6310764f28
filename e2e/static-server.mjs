// A static file server for the built site, mounted under a sub-path (the site must work from
// any sub-path). Anything outside the mount is a 404. Loopback only.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.bin': 'application/octet-stream', '.u8': 'application/octet-stream', '.coar': 'application/octet-stream', '.md': 'text/markdown',
};

/**
 * `routes`: pathname → (req, res) handler, answered before the files (a scenario adds one, e.g. a
 * redirect, and removes it when done).
 */
export async function serveStatic(root, mount) {
  const routes = new Map();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const route = routes.get(url.pathname);
    if (route) {
      route(req, res);
      return;
    }
    if (!url.pathname.startsWith(mount)) {
      res.writeHead(404).end('outside the site');
      return;
    }
    let path = normalize(join(root, decodeURIComponent(url.pathname.slice(mount.length))));
    if (!path.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const body = await readFile(path);
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${mount}`, origin: `http://127.0.0.1:${port}`, mount, routes, close: () => new Promise((r) => server.close(r)) };
}
