/**
 * Limits on the shape of infrastructure-code input. Mappings, intrinsic resolution and schema
 * validation walk values recursively; a value nested deeper than any real plan or template
 * would overflow the stack there, so it is refused up front, by a walk that uses no recursion.
 */

/** Deeper than any plan Terraform writes or template CloudFormation accepts, well within the stack. */
export const MAX_DEPTH = 200;

/**
 * The path (keys and indexes from `root`) to the first value nested deeper than `limit` levels,
 * or undefined when none is. Iterative: safe on any input.
 */
export function tooDeep(root: unknown, limit = MAX_DEPTH): (string | number)[] | undefined {
  interface Frame {
    v: unknown;
    depth: number;
    key: string | number | null;
    parent: Frame | null;
  }
  const stack: Frame[] = [{ v: root, depth: 0, key: null, parent: null }];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (f.v === null || typeof f.v !== 'object') continue;
    if (f.depth >= limit) {
      const path: (string | number)[] = [];
      for (let x: Frame | null = f; x && x.key !== null; x = x.parent) path.push(x.key);
      return path.reverse();
    }
    if (Array.isArray(f.v)) {
      for (let i = f.v.length - 1; i >= 0; i--) stack.push({ v: f.v[i], depth: f.depth + 1, key: i, parent: f });
    } else {
      for (const [k, x] of Object.entries(f.v as Record<string, unknown>)) stack.push({ v: x, depth: f.depth + 1, key: k, parent: f });
    }
  }
  return undefined;
}

/** A path as a JSON pointer, shortened in the middle when long. */
export function pointerOf(path: readonly (string | number)[]): string {
  const esc = (s: string | number): string => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
  const segs = path.length > 8 ? [...path.slice(0, 5).map(esc), `…(${path.length - 7} more)…`, ...path.slice(-2).map(esc)] : path.map(esc);
  return `/${segs.join('/')}`;
}
