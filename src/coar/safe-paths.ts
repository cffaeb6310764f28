/**
 * Paths a file names for other files (a model.json's weight paths, a dataset.json's images and
 * labels): they must stay beside the file that names them, in its folder or below. One rule for
 * the CLI, the worker and the tests.
 */
import { CoarError } from './errors';
import { hasUnprintable, printable } from './printable';

/** Why `path` is not a plain relative path below its folder, in words; undefined when it is. */
export function relativePathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'it is not a non-empty text';
  if (hasUnprintable(path)) return 'it holds control or direction-changing characters';
  let decoded = path;
  // Percent-encoded traversal (%2e%2e%2f, even encoded twice) is judged as it would be fetched.
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return 'it holds a malformed percent-encoding';
    }
  }
  for (const p of new Set([path, decoded])) {
    if (p.includes('\\')) return 'it holds a backslash';
    if (p.startsWith('//')) return 'it names another host (it starts with //)';
    if (p.startsWith('/')) return 'it is an absolute path';
    if (/^[a-z][a-z0-9+.-]*:/i.test(p)) return 'it names a scheme or drive (e.g. https:, file:, C:)';
    if (p.split(/[?#]/)[0].split('/').includes('..')) return 'it climbs out of its folder with ".."';
    if (hasUnprintable(p)) return 'it holds control or direction-changing characters';
  }
  return undefined;
}

/**
 * Returns `path` when it stays beside the file that names it; otherwise throws CoarError 'unsafe-path'
 * naming `what` (e.g. 'Weight file listed in model.json') and the path, printed safely.
 */
export function checkRelativePath(path: unknown, what: string): string {
  const problem = relativePathProblem(path);
  if (problem) {
    throw new CoarError(`${what} "${printable(path)}" is refused: ${problem}. Files named inside a file must sit in its folder or below it (docs/LIMITS.md).`, 'unsafe-path');
  }
  return path as string;
}

/**
 * The URL of `path` (checked by checkRelativePath) beside `baseUrl`: same origin, and in the base's
 * directory or below. Throws CoarError 'unsafe-path' otherwise.
 */
export function urlBeside(baseUrl: string, path: string, what: string): string {
  checkRelativePath(path, what);
  const base = new URL('.', baseUrl);
  const url = new URL(path, base);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
    throw new CoarError(`${what} "${printable(path)}" resolves to ${printable(url.href)}, outside ${printable(base.href)}: files named inside a file must sit in its folder or below it (docs/LIMITS.md).`, 'unsafe-path');
  }
  return url.href;
}
