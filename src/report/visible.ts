/**
 * Text from the cloud or from code (resource names, tags, ids, waiver reasons) reaches people's
 * terminals, CI summaries and spreadsheets. Control characters in it could retitle a terminal,
 * clear the screen, plant a hyperlink (OSC 8) or reorder what is shown (bidirectional
 * overrides), so every human-readable format shows them as escapes instead: ESC becomes `\x1b`.
 */

// C0 and C1 controls, DEL, bidirectional embeddings/overrides/isolates, line and paragraph separators.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex -- the same, but line feeds and tabs are kept
const CONTROL_KEEP_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

function escapeOne(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Every control character as a visible escape (`\x1b`, `\x0a`, `\u202e`). */
export function visible(s: string): string {
  return s.replace(CONTROL, escapeOne);
}

/** Like `visible`, but line feeds and tabs stay (for formats where they are structure, such as quoted CSV cells). */
export function visibleKeepLines(s: string): string {
  return s.replace(CONTROL_KEEP_LINES, escapeOne);
}
