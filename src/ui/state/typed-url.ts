/**
 * A model or data URL typed into the page: a relative one resolves against the site; only http(s)
 * is accepted (javascript:, file:, data:, blob: … are refused with the worker's words, and the
 * worker checks again).
 */
import { httpUrlProblem, resolveTypedUrl } from '../../worker/workspace/url-rules';

export function typedUrl(raw: string, what: string, base: string = document.baseURI): { url: string; problem: null } | { url: null; problem: string } {
  const resolved = resolveTypedUrl(raw, base);
  const problem = httpUrlProblem(resolved, what);
  return problem ? { url: null, problem } : { url: new URL(resolved).href, problem: null };
}
