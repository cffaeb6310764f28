/**
 * File names and paths as they may be printed: a name is the user's (or a hostile file's) text,
 * and a terminal obeys escape codes in it. Control characters (C0, DEL, C1, so ESC and CSI),
 * bidirectional overrides and line/paragraph separators are written as \xNN / \uNNNN escapes;
 * everything else is kept. Used by every message that embeds a user-given name or path.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Longest name printed whole; longer ones keep their start and end. */
const MAX_PRINTED = 300;

/** True when `text` holds a character printable() would escape. */
export const hasUnprintable = (text: string) => new RegExp(UNPRINTABLE.source).test(text);

export function printable(name: unknown): string {
  const text = String(name).replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
  return text.length > MAX_PRINTED ? `${text.slice(0, 200)}…${text.slice(-80)}` : text;
}
