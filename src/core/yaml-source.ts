import type { ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, isSeq, type LineCounter, type Document, type Node as YamlNode } from 'yaml';
import { ajvErrorPointer, describeAjvError, unescapePointer } from './ajv';
import { InputError, type Problem } from './errors';
import { type ParsedYaml, parseYaml } from './yaml';

/**
 * YAML documents whose every problem is reported at its file, line and column: the path of a
 * value in a parsed document, the location of that path, and JSON Schema errors placed there.
 * Rule, framework and config files all go through these.
 */

/** A path into a parsed document: mapping keys and sequence indexes. */
export type DocPath = (string | number)[];

/** Finds where a path is in the file. */
export type Locator = (path: DocPath, key?: string) => { line: number; column: number };

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

export function pointerToPath(pointer: string): DocPath {
  return pointer
    .split('/')
    .slice(1)
    .map(unescapePointer)
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function schemaProblems(errors: ErrorObject[], where: (path: DocPath, key?: string) => { line: number; column: number }, file: string): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    // 'if'/'anyOf' wrappers repeat their branches' errors
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    const params = e.params as Record<string, unknown>;
    let path = pointerToPath(e.instancePath);
    let key: string | undefined;
    let message = describeAjvError(e);
    if (e.keyword === 'additionalProperties') {
      key = String(params.additionalProperty);
      message = `unknown field '${key}'`;
    } else if (e.keyword === 'required') {
      message = `missing required field '${String(params.missingProperty)}'`;
    } else {
      message = `${ajvErrorPointer(e) ? `'${pointerToPath(e.instancePath).join('.')}' ` : ''}${message}`;
    }
    const dedupe = `${e.instancePath}|${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    path = path.length ? path : [];
    out.push({ file, ...where(path, key), message });
  }
  return out;
}


/**
 * Parses YAML text with positions, through the one safe YAML reader (core/yaml). `problems` holds
 * the syntax and structure errors (then `value` is undefined); `where` locates any path of the
 * document for later checks.
 */
export function parseYamlSource(text: string, file: string): { value?: unknown; where: Locator; problems: Problem[] } {
  let parsed: ParsedYaml;
  try {
    parsed = parseYaml(text, file);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { where: () => ({ line: 1, column: 1 }), problems: e.problems };
  }
  return { value: parsed.value, where: (path, key) => locate(parsed.doc, parsed.lines, path, key), problems: [] };
}
