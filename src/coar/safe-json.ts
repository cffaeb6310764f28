/**
 * JSON from a user's file (model.json, dataset.json, a run file's header) parsed within the
 * limits: its size, and its nesting depth, measured by a small loop over the text before
 * JSON.parse, so a file of 100,000 nested arrays gets a message rather than a stack overflow
 * here or in whatever walks the result.
 */
import { CoarError } from './errors';
import { LIMITS } from './limits';

/** Deepest nesting of arrays/objects in `text` (strings skipped); stops counting past `limit`, returning where. */
export function jsonDepth(text: string, limit = Infinity): { depth: number; at: number } {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) { // "
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x5c) i++; // backslash escapes the next character
        else if (d === 0x22) break;
      }
    } else if (c === 0x5b || c === 0x7b) { // [ {
      depth++;
      if (depth > max) max = depth;
      if (depth > limit) return { depth, at: i };
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return { depth: max, at: -1 };
}

/** JSON.parse after the size and depth checks; errors are CoarError `code`, naming `source` (printed as given). */
export function parseJsonWithinLimits(text: string, source: string, code: string, invalid = (reason: string) => `${source} is not valid JSON (${reason}).`): unknown {
  if (text.length > LIMITS.jsonBytes) {
    throw new CoarError(`${source} is ${text.length.toLocaleString('en-US')} characters long, over the limit of ${LIMITS.jsonBytes.toLocaleString('en-US')} for a JSON description (docs/LIMITS.md).`, code);
  }
  const { at } = jsonDepth(text, LIMITS.jsonDepth);
  if (at >= 0) {
    throw new CoarError(`${source} nests arrays/objects deeper than ${LIMITS.jsonDepth} levels (at character ${at}): no real file does; it is refused (docs/LIMITS.md).`, code);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CoarError(invalid((e as Error).message), code);
  }
}
