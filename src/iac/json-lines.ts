/**
 * Line numbers for JSON documents. `JSON.parse` gives values without positions; this scanner walks
 * the (already validated) text once and records the 1-based line where each child of one
 * container starts, e.g. every element of a plan's `resource_changes` or every member of a
 * template's `Resources`. It allocates only for the recorded children, so it stays fast on
 * plans of many megabytes.
 */

type Key = string | number;

interface Frame {
  isArray: boolean;
  key: Key | null;
}

/** Lines of the children of the container at `path` (object keys or array indexes). */
export function childLines(text: string, path: readonly Key[]): Map<Key, number> {
  const out = new Map<Key, number>();
  const stack: Frame[] = [];
  let line = 1;
  let expectKey = false;
  // stack: virtual root, the top-level container, …, the container at `path`.
  const target = path.length + 2;
  const record = (): void => {
    if (stack.length !== target) return;
    for (let d = 0; d < path.length; d++) if (stack[d + 1].key !== path[d]) return;
    out.set(stack[stack.length - 1].key!, line);
  };
  // stack[0] is a virtual root frame so the top-level value has a parent.
  stack.push({ isArray: false, key: null });
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 32 || c === 9 || c === 13 || c === 58 /* : */) {
      i++;
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top.isArray) top.key = (top.key as number) + 1;
      else expectKey = true;
      i++;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      record();
      const isArray = c === 91;
      stack.push({ isArray, key: isArray ? 0 : null });
      expectKey = !isArray;
      i++;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
      expectKey = false;
      i++;
    } else if (c === 34 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 92) j += 2;
        else if (d === 34) break;
        else j++;
        if (d === 92) escaped = true;
      }
      if (expectKey) {
        const raw = text.slice(i + 1, j);
        stack[stack.length - 1].key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        expectKey = false;
      } else {
        record();
      }
      i = j + 1;
    } else {
      // number, true, false, null
      record();
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 44 || d === 125 || d === 93 || d === 10 || d === 32 || d === 9 || d === 13) break;
        i++;
      }
    }
  }
  return out;
}
