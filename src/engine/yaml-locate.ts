import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import type { DocPath } from './node';

/**
 * Line and column (1-based) of the value at `path` in a parsed YAML document, or of the key
 * `key` of the mapping there. Falls back to the deepest node that exists, so a problem is
 * always shown near its cause.
 */
export function locate(doc: Document, lines: LineCounter, path: DocPath, key?: string): { line: number; column: number } {
  let node: unknown = doc.contents;
  let last: unknown = node;
  const segs = key === undefined ? path : [...path, key];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const wantKey = key !== undefined && i === segs.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      node = wantKey ? pair.key : pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
    } else {
      break;
    }
    if (node) last = node;
    else break;
  }
  const range = (last as YamlNode | null)?.range;
  const pos = lines.linePos(range ? range[0] : 0);
  return { line: pos.line, column: pos.col };
}
