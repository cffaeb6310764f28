/**
 * Which addresses a user may give for a model.json or a dataset.json: http(s) only. Pure (no
 * tfjs, no DOM), so the page checks what is typed with the same words the worker (the trust
 * boundary, which checks again) would answer with.
 */
import { CoarError } from '../../coar/errors';
import { printable } from '../../coar/printable';

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** What is wrong with `raw` as a web address to load `what` from, in words; null when it is a full http(s) URL. */
export function httpUrlProblem(raw: string, what: string): string | null {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${printable(text)}" is not a web address: give the full URL of ${what} (https://…).`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `Only http(s) addresses can be loaded (got ${printable(url.protocol)}): ${what} must come from a web address (https://…), not a ${printable(url.protocol.replace(/:$/, ''))}: URL.`;
  }
  if (url.username || url.password) return `The address of ${what} holds a user name or password (${printable(url.origin)}): give it without them.`;
  return null;
}

/** The http(s) URL `raw` names, or CoarError 'bad-url' with httpUrlProblem's words. */
export function checkHttpUrl(raw: string, what: string): string {
  const problem = httpUrlProblem(raw, what);
  if (problem) throw new CoarError(problem, 'bad-url');
  return new URL(raw.trim()).href;
}

/**
 * What the page sends for a typed address: a relative one ("models/x/model.json") resolved
 * against the site's own address `base`; one with a scheme (https:, javascript:, …) as typed,
 * for httpUrlProblem / the worker to judge.
 */
export function resolveTypedUrl(raw: string, base: string): string {
  const text = raw.trim();
  if (SCHEME.test(text)) return text;
  try {
    return new URL(text, base).href;
  } catch {
    return text;
  }
}
