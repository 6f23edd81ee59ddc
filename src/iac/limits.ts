/**
 * Limits on the shape of infrastructure-code input. Mappings, intrinsic resolution and schema
 * validation walk values recursively; a value nested deeper than any real plan or template
 * would overflow the stack there, so it is refused up front, by a walk that never goes deeper
 * than the limit.
 */

/** Deeper than any plan Terraform writes or template CloudFormation accepts, well within the stack. */
export const MAX_DEPTH = 200;

/**
 * The path (keys and indexes from `root`) to the first value nested deeper than `limit` levels,
 * or undefined when none is. It recurses at most `limit` levels, whatever the input: safe on any
 * value, and allocates nothing on the way down.
 */
export function tooDeep(root: unknown, limit = MAX_DEPTH): (string | number)[] | undefined {
  const walk = (v: unknown, depth: number): (string | number)[] | undefined => {
    if (v === null || typeof v !== 'object') return undefined;
    if (depth >= limit) return [];
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || typeof x !== 'object') continue;
        const p = walk(x, depth + 1);
        if (p) return (p.unshift(i), p);
      }
      return undefined;
    }
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
      const x = (v as Record<string, unknown>)[k];
      if (x === null || typeof x !== 'object') continue;
      const p = walk(x, depth + 1);
      if (p) return (p.unshift(k), p);
    }
    return undefined;
  };
  return walk(root, 0);
}

/** A path as a JSON pointer, shortened in the middle when long. */
export function pointerOf(path: readonly (string | number)[]): string {
  const esc = (s: string | number): string => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
  const segs = path.length > 8 ? [...path.slice(0, 5).map(esc), `…(${path.length - 7} more)…`, ...path.slice(-2).map(esc)] : path.map(esc);
  return `/${segs.join('/')}`;
}
