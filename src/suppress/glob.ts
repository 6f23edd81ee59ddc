/**
 * Glob patterns for suppression entries: `*` matches any run of characters (slashes and colons
 * included, since ids are ARNs and resource paths), `?` one character; everything else is
 * literal and matching is case-sensitive. A pattern without wildcards is an exact match.
 *
 * Matching never backtracks: the pattern is cut at its `*`s into pieces, the first piece must
 * start the value, the last must end it, and each piece between is taken at its leftmost place
 * (which is always right for `*`-globs). Time is at most value length × pattern length, so a
 * pattern of many `*`s cannot hang an evaluation the way `.*a.*a.*…` hangs a regex engine.
 */

export type Matcher = (value: string | undefined) => boolean;

/** Does `piece` (literal, `?` = any one character) match `value` at `at`? */
function pieceAt(value: string, at: number, piece: string): boolean {
  if (at + piece.length > value.length) return false;
  for (let i = 0; i < piece.length; i++) {
    const c = piece.charCodeAt(i);
    if (c !== 63 /* ? */ && c !== value.charCodeAt(at + i)) return false;
  }
  return true;
}

/** The leftmost place at or after `from` where `piece` matches, or -1. */
function findPiece(value: string, from: number, piece: string): number {
  if (!piece.includes('?')) return value.indexOf(piece, from);
  for (let at = from; at + piece.length <= value.length; at++) if (pieceAt(value, at, piece)) return at;
  return -1;
}

export function globMatches(glob: string, value: string): boolean {
  const pieces = glob.split('*');
  if (pieces.length === 1) return glob.length === value.length && pieceAt(value, 0, glob);
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (first.length + last.length > value.length) return false;
  if (!pieceAt(value, 0, first) || !pieceAt(value, value.length - last.length, last)) return false;
  let at = first.length;
  const end = value.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const piece = pieces[i];
    if (piece === '') continue;
    const found = findPiece(value, at, piece);
    if (found === -1 || found + piece.length > end) return false;
    at = found + piece.length;
  }
  return true;
}

export function globMatcher(glob: string | undefined): Matcher | null {
  if (glob === undefined) return null;
  if (!/[*?]/.test(glob)) return (v) => v === glob;
  return (v) => v !== undefined && globMatches(glob, v);
}
