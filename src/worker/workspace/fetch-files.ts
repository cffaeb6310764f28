/**
 * Every request the worker makes goes through `gatedFetch`: only this site's own origin and the
 * origins of model/data URLs the user typed (or confirmed from a link) are ever asked, redirects
 * are never followed (a redirect's target cannot be checked before it is requested), and what is
 * read is bounded. A worker's requests are governed by its own response headers, not by the
 * page's Content-Security-Policy, so this is where the "no foreign requests" promise is kept.
 */
import { CoarError } from '../../coar/errors';
import { printable } from '../../coar/printable';
import { urlBeside } from '../../coar/safe-paths';

/** Origins the user chose to load from (a typed or confirmed model/data URL), besides the site's own. */
const userOrigins = new Set<string>();

/** This site's origin (the worker's own), or null outside a browser (tests). */
function siteOrigin(): string | null {
  const loc = (globalThis as { location?: { origin?: string } }).location;
  return loc?.origin && loc.origin !== 'null' ? loc.origin : null;
}

/** Lets the worker fetch from the origin of `url`, which the user typed or confirmed. */
export function allowUserOrigin(url: string): void {
  userOrigins.add(new URL(url).origin);
}

/** Forgets the origins allowed so far (tests). */
export function forgetUserOrigins(): void {
  userOrigins.clear();
}

/** The URL when the worker may request it; CoarError 'foreign-file' when it is on a site nobody chose. */
export function checkFetchAllowed(url: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new CoarError(`${capitalise(what)} was not requested: "${printable(url)}" is not a web address.`, 'bad-url');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') {
    throw new CoarError(`${capitalise(what)} was not requested: only http(s) addresses are loaded (got ${printable(u.protocol)}).`, 'bad-url');
  }
  const site = siteOrigin();
  if (u.origin !== site && !userOrigins.has(u.origin)) {
    throw new CoarError(`${capitalise(what)} was not requested: ${printable(u.href)} is on ${printable(u.origin)}, which is neither this site${site ? ` (${site})` : ''} nor a site whose address you gave. Only those are ever contacted.`, 'foreign-file');
  }
  return u;
}

/**
 * Puts the same origin check in front of the worker's global fetch, so a request made by a
 * library (tfjs's wasm loader, say) cannot reach a site nobody chose either. Local data: and
 * blob: URLs pass (no request leaves the browser). Called once, by worker.ts.
 */
export function guardWorkerFetch(): void {
  const scope = globalThis as { fetch: typeof fetch; location?: { href: string } };
  const original = scope.fetch.bind(globalThis);
  scope.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    try {
      const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const url = new URL(raw, scope.location?.href);
      if (url.protocol !== 'data:' && url.protocol !== 'blob:') checkFetchAllowed(url.href, 'the file');
    } catch (e) {
      return Promise.reject(e);
    }
    return original(input, init);
  };
}

/** The one place the worker calls fetch: allowed origins only, redirects refused, naming which URL redirected where. */
export async function gatedFetch(url: string, what: string): Promise<Response> {
  const u = checkFetchAllowed(url, what);
  let response: Response;
  try {
    response = await fetch(u.href, { redirect: 'manual', credentials: 'same-origin' });
  } catch (e) {
    throw new CoarError(`Could not fetch ${what} from ${printable(u.href)} (${(e as Error).message}). Are you offline, or was the site opened from a file:// address? Serve it over http.`, 'missing-file');
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    const location = response.headers.get('location');
    const target = location ? new URL(location, u.href).href : null;
    throw new CoarError(
      `${capitalise(what)} was not loaded: ${printable(u.href)} answered with a redirect${target ? ` to ${printable(target)}` : ' (the browser does not show its target before it is followed)'}. Redirects are not followed, so that no file comes from a site you did not choose: give the file's final address.`,
      'redirected',
    );
  }
  if (response.redirected && response.url) {
    const to = new URL(response.url);
    if (to.origin !== u.origin) {
      throw new CoarError(`${capitalise(what)} was not loaded: ${printable(u.href)} redirected to ${printable(to.href)}, on another site (${printable(to.origin)}). Only files on the site you chose are loaded.`, 'redirected');
    }
  }
  return response;
}

/**
 * Fetches a binary or JSON file, reading at most `maxBytes`. A dev server or an SPA host answers
 * a missing file with the site's index.html (status 200), so an HTML answer counts as missing too.
 */
export async function fetchBytes(url: string, what: string, maxBytes = Infinity): Promise<ArrayBuffer> {
  const response = await gatedFetch(url, what);
  if (!response.ok) throw new CoarError(`${capitalise(what)} is missing: ${printable(url)} answered HTTP ${response.status}.`, 'missing-file');
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/html')) throw new CoarError(`${capitalise(what)} is missing: ${printable(url)} returned a web page instead of the file.`, 'missing-file');
  const tooBig = (bytes: number) => new CoarError(`${capitalise(what)} is ${bytes.toLocaleString('en-US')} bytes or more, over the ${maxBytes.toLocaleString('en-US')} bytes allowed for it (docs/LIMITS.md); it was not read.`, 'too-large');
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel();
    throw tooBig(declared);
  }
  // A declared length within the limit bounds the body (HTTP holds the server to it). The site's
  // own files are read whole too: they are the site's, and a body streamed through the service
  // worker shows up in Chromium as an aborted request.
  const ownSite = new URL(url).origin === siteOrigin();
  if (!Number.isFinite(maxBytes) || Number.isFinite(declared) || ownSite || !response.body) {
    const bytes = await response.arrayBuffer();
    if (bytes.byteLength > maxBytes) throw tooBig(bytes.byteLength);
    return bytes;
  }
  // No length said: count the bytes as they arrive, and stop as soon as the limit is passed.
  let total = 0;
  const limiter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > maxBytes) controller.error(tooBig(total));
      else controller.enqueue(chunk);
    },
  });
  try {
    return await new Response(response.body.pipeThrough(limiter)).arrayBuffer();
  } catch (e) {
    if (total > maxBytes) throw tooBig(total);
    throw e;
  }
}

export async function fetchText(url: string, what: string, maxBytes = Infinity): Promise<string> {
  return new TextDecoder().decode(await fetchBytes(url, what, maxBytes));
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A file named inside a model.json or dataset.json, resolved beside it (same origin, in its folder
 * or below: no "..", no absolute path, no other host or scheme). Refused otherwise, not followed.
 */
export function fileBeside(path: string, jsonUrl: string, what: string): string {
  return urlBeside(jsonUrl, path, capitalise(what));
}
