/**
 * Property paths, as used in rules (`passwordPolicy.minimumPasswordLength`), in a resource's
 * `unknown` list and in the type registry.
 *
 * Syntax: segments joined by `.`; a segment that is not a plain name (letters, digits, `_`, `-`,
 * `$`, `@`) is written in brackets with a JSON string: `$tags["cost center"]`. In `unknown` lists a
 * segment may be an array index (`accessKeys.1.lastUsedDate`) or `*` for every element.
 */

const PLAIN = /^[A-Za-z0-9_$@*-]+$/;

export class PathSyntaxError extends Error {}

export function parsePath(text: string): string[] {
  const segs: string[] = [];
  let i = 0;
  if (text.length === 0) throw new PathSyntaxError('empty path');
  while (i < text.length) {
    if (text[i] === '[') {
      const end = findBracketEnd(text, i);
      let seg: unknown;
      try {
        seg = JSON.parse(text.slice(i + 1, end));
      } catch {
        throw new PathSyntaxError(`bad bracket segment ${text.slice(i, end + 1)} in path '${text}' (write ["key"])`);
      }
      if (typeof seg !== 'string') throw new PathSyntaxError(`bracket segment in path '${text}' must be a quoted string`);
      segs.push(seg);
      i = end + 1;
    } else {
      let j = i;
      while (j < text.length && text[j] !== '.' && text[j] !== '[') j++;
      const seg = text.slice(i, j);
      if (!PLAIN.test(seg)) throw new PathSyntaxError(`bad segment '${seg}' in path '${text}'`);
      segs.push(seg);
      i = j;
    }
    if (i < text.length) {
      if (text[i] === '.') {
        i++;
        if (i >= text.length) throw new PathSyntaxError(`path '${text}' ends with '.'`);
      } else if (text[i] !== '[') {
        throw new PathSyntaxError(`unexpected '${text[i]}' in path '${text}'`);
      }
    }
  }
  return segs;
}

function findBracketEnd(text: string, start: number): number {
  let inString = false;
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') return i;
  }
  throw new PathSyntaxError(`unclosed '[' in path '${text}'`);
}

export function formatPath(segs: readonly string[]): string {
  let out = '';
  for (const s of segs) {
    if (PLAIN.test(s)) out += out === '' ? s : `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** True when one path is a prefix of the other (`*` matches any segment): reading one touches the other. */
export function pathsOverlap(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i] && a[i] !== '*' && b[i] !== '*') return false;
  }
  return true;
}

/** True when `prefix` is a prefix of `path` (`*` in either matches any segment). */
export function isPathPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (prefix[i] !== path[i] && prefix[i] !== '*' && path[i] !== '*') return false;
  }
  return true;
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `v[key]` when `key` is `v`'s own property, else undefined. Data from snapshots, rules and
 * configs is read only through own properties: `tags.toString` or `x.constructor` must not
 * find JavaScript's built-ins (a tag "exists" that no one set, a waiver matching every resource).
 */
export function ownValue(v: unknown, key: string): unknown {
  return v !== null && typeof v === 'object' && hasOwn.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
}

export function hasOwnKey(v: object, key: string): boolean {
  return hasOwn.call(v, key);
}
