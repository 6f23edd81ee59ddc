/**
 * Glob patterns for suppression entries: `*` matches any run of characters (slashes and colons
 * included, since ids are ARNs and resource paths), `?` one character; everything else is
 * literal and matching is case-sensitive. A pattern without wildcards is an exact match.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) {
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else re += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

export type Matcher = (value: string | undefined) => boolean;

export function globMatcher(glob: string | undefined): Matcher | null {
  if (glob === undefined) return null;
  if (!/[*?]/.test(glob)) return (v) => v === glob;
  const re = globToRegExp(glob);
  return (v) => v !== undefined && re.test(v);
}
