import { InputError } from './errors';

/** JSON text → value, with errors that say where: shared by every reader of JSON input files. */

/** Line and column of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

/**
 * Offset of a JSON.parse error. V8 gives "at position N" for most errors; for an unexpected
 * token it quotes the text around it instead, so find that excerpt and the token within it.
 */
function jsonErrorOffset(text: string, msg: string): number | undefined {
  const pos = /position (\d+)/.exec(msg);
  if (pos) return Number(pos[1]);
  const m = /^Unexpected token '(.)', (?:\.\.\.)?"([\s\S]*?)"(?:\.\.\.)? is not valid JSON/.exec(msg);
  if (!m) return undefined;
  const at = text.indexOf(m[2]);
  if (at === -1) return undefined;
  const inside = m[2].indexOf(m[1]);
  // Only when the token is unambiguous within the excerpt: a wrong place is worse than none.
  return inside === -1 || inside !== m[2].lastIndexOf(m[1]) ? undefined : at + inside;
}

/** JSON.parse with a located, one-line error. */
export function parseJson(text: string, file: string, lineBase?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const offset = jsonErrorOffset(text, msg);
    let reason = msg.replace(/\s*in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '');
    reason = reason.replace(/\s+/g, ' ').trim();
    if (/end of JSON input/.test(reason)) reason += ' (the text stops mid-value: is the file truncated?)';
    if (text.trim() === '') throw InputError.at({ file, line: lineBase }, 'empty, expected a JSON object');
    if (lineBase !== undefined) {
      throw InputError.at({ file, line: lineBase, column: offset !== undefined ? offset + 1 : undefined }, `not valid JSON: ${reason}`);
    }
    const lc = offset !== undefined ? lineColumn(text, offset) : undefined;
    throw InputError.at({ file, line: lc?.line, column: lc?.column }, `not valid JSON: ${reason}`);
  }
}

