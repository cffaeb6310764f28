/** Fetching the bundled files from absolute URLs, with messages that say which file is missing. */
import { CoarError } from '../coar/errors';

/**
 * Fetches a binary or JSON file. A dev server or an SPA host answers a missing file with the
 * site's index.html (status 200), so an HTML answer counts as missing too.
 */
export async function fetchBytes(url: string, what: string): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new CoarError(`Could not fetch ${what} from ${url} (${(e as Error).message}). Are you offline, or was the site opened from a file:// address? Serve it over http.`, 'missing-file');
  }
  if (!response.ok) throw new CoarError(`${capitalise(what)} is missing: ${url} answered HTTP ${response.status}.`, 'missing-file');
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/html')) throw new CoarError(`${capitalise(what)} is missing: ${url} returned a web page instead of the file.`, 'missing-file');
  return response.arrayBuffer();
}

export async function fetchText(url: string, what: string): Promise<string> {
  return new TextDecoder().decode(await fetchBytes(url, what));
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A file named inside a model.json or dataset.json, resolved beside it. Only the addresses the
 * user chose are fetched: a path that leads to another site is refused, not followed.
 */
export function fileBeside(path: string, jsonUrl: string, what: string): string {
  const url = new URL(path, jsonUrl);
  const base = new URL(jsonUrl);
  if (url.origin !== base.origin) {
    throw new CoarError(`${capitalise(what)} points to another site (${url.origin}) than the file that names it (${base.origin}); only files beside it are loaded.`, 'foreign-file');
  }
  return url.href;
}
