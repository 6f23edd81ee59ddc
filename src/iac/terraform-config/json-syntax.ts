import { type Block, type Body, emptyBody, type Expr, type ParsedFile, type Pos } from './ast';
import { HclReader } from './parser';

/**
 * Terraform's JSON syntax (.tf.json, .tfvars.json) read into the same syntax tree as .tf files.
 * JSON.parse gives no positions, so a small parser keeps the line of every value. Strings are
 * templates (`"${var.x}-logs"`); a block type's labels are the levels of nested objects, as
 * many as the block type has (resource: type and name). Without provider schemas a nested
 * object in a resource cannot be told from a map attribute: it is read as an attribute, which
 * the plan readers accept for blocks too.
 */

interface JNode {
  pos: Pos;
  v: null | boolean | number | string | JNode[] | Map<string, JNode>;
}

class JsonFailure extends Error {
  constructor(
    readonly at: number,
    message: string,
  ) {
    super(message);
  }
}

class JsonReader {
  private i = 0;
  private readonly lineStarts: number[] = [0];

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    for (let j = 0; j < text.length; j++) if (text.charCodeAt(j) === 10) this.lineStarts.push(j + 1);
  }

  pos(index: number): Pos {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, column: index - this.lineStarts[lo] + 1 };
  }

  read(): JNode {
    this.ws();
    const v = this.value(0);
    this.ws();
    if (this.i < this.text.length) throw new JsonFailure(this.i, 'unexpected text after the JSON value');
    return v;
  }

  private ws(): void {
    while (this.i < this.text.length && /\s/.test(this.text[this.i])) this.i++;
  }

  private value(depth: number): JNode {
    if (depth > 200) throw new JsonFailure(this.i, 'JSON nested too deeply');
    const at = this.i;
    const pos = this.pos(at);
    const c = this.text[this.i];
    if (c === '{') {
      this.i++;
      const m = new Map<string, JNode>();
      this.ws();
      if (this.text[this.i] === '}') {
        this.i++;
        return { pos, v: m };
      }
      for (;;) {
        this.ws();
        if (this.text[this.i] !== '"') throw new JsonFailure(this.i, 'expected a property name in double quotes');
        const key = this.string();
        this.ws();
        if (this.text[this.i] !== ':') throw new JsonFailure(this.i, "expected ':'");
        this.i++;
        this.ws();
        const val = this.value(depth + 1);
        if (m.has(key)) throw new JsonFailure(at, `duplicate property "${key}"`);
        m.set(key, val);
        this.ws();
        if (this.text[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.text[this.i] === '}') {
          this.i++;
          return { pos, v: m };
        }
        throw new JsonFailure(this.i, "expected ',' or '}'");
      }
    }
    if (c === '[') {
      this.i++;
      const arr: JNode[] = [];
      this.ws();
      if (this.text[this.i] === ']') {
        this.i++;
        return { pos, v: arr };
      }
      for (;;) {
        this.ws();
        arr.push(this.value(depth + 1));
        this.ws();
        if (this.text[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.text[this.i] === ']') {
          this.i++;
          return { pos, v: arr };
        }
        throw new JsonFailure(this.i, "expected ',' or ']'");
      }
    }
    if (c === '"') return { pos, v: this.string() };
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(this.text.slice(this.i, this.i + 64));
    if (!m) throw new JsonFailure(this.i, c === undefined ? 'unexpected end of input' : `unexpected '${c}'`);
    this.i += m[0].length;
    return { pos, v: m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]) };
  }

  private string(): string {
    const start = this.i;
    let j = this.i + 1;
    while (j < this.text.length && this.text[j] !== '"') j += this.text[j] === '\\' ? 2 : 1;
    if (j >= this.text.length) throw new JsonFailure(start, 'unterminated string');
    this.i = j + 1;
    try {
      return JSON.parse(this.text.slice(start, j + 1)) as string;
    } catch {
      throw new JsonFailure(start, 'invalid string escape');
    }
  }
}

/** Labels per block type in the JSON syntax. */
const LABELS: Record<string, number> = { resource: 2, data: 2, module: 1, variable: 1, output: 1, provider: 1, locals: 0, terraform: 0, moved: 0, import: 0, check: 1, removed: 0 };

/** Attributes whose string is an expression, not a template. */
const EXPRESSION_ATTRS = new Set(['type', 'provider', 'depends_on', 'providers']);

function toExpr(n: JNode, raw: boolean): Expr {
  const v = n.v;
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return { k: 'lit', value: v, pos: n.pos };
  if (typeof v === 'string') {
    if (raw) return rawExpr(v, n.pos);
    if (!v.includes('${') && !v.includes('%{')) return { k: 'lit', value: v, pos: n.pos };
    try {
      return HclReader.templateText(v, n.pos);
    } catch (e) {
      throw new JsonFailure(-1, `${n.pos.line}:${n.pos.column}: ${(e as Error).message}`);
    }
  }
  if (Array.isArray(v)) return { k: 'tuple', items: v.map((x) => toExpr(x, raw)), pos: n.pos };
  const items: { key: Expr; value: Expr }[] = [];
  for (const [k, x] of v) if (k !== '//') items.push({ key: { k: 'lit', value: k, pos: x.pos }, value: toExpr(x, raw) });
  return { k: 'object', items, pos: n.pos };
}

/** A string that holds an expression (`"list(string)"`, `"aws.east"`). */
function rawExpr(s: string, pos: Pos): Expr {
  const r = new HclReader(pos.file, `x = ${s}\n`);
  const parsed = r.parse('config');
  const a = parsed.body.attrs.get('x');
  if (parsed.problems.length > 0 || !a) throw new JsonFailure(-1, `${pos.line}:${pos.column}: not a valid expression`);
  const fix = (e: unknown): void => {
    if (e === null || typeof e !== 'object') return;
    for (const [k, v] of Object.entries(e)) {
      if (k === 'pos') (e as { pos: Pos }).pos = pos;
      else fix(v);
    }
  };
  fix(a.expr);
  return a.expr;
}

function body(n: JNode, blockType: string): Body {
  const b = emptyBody();
  if (!(n.v instanceof Map)) throw new JsonFailure(-1, `${n.pos.line}:${n.pos.column}: a ${blockType} block must be a JSON object`);
  for (const [k, x] of n.v) {
    if (k === '//') continue;
    if (k === 'dynamic' && x.v instanceof Map) {
      for (const [name, d] of x.v) for (const one of Array.isArray(d.v) ? d.v : [d]) b.blocks.push({ type: 'dynamic', labels: [name], body: dynamicBody(one), pos: one.pos });
      continue;
    }
    if (['lifecycle', 'provisioner', 'connection'].includes(k)) continue;
    b.attrs.set(k, { name: k, expr: toExpr(x, EXPRESSION_ATTRS.has(k) && blockType !== 'variable-default'), pos: x.pos });
  }
  return b;
}

function dynamicBody(n: JNode): Body {
  const b = emptyBody();
  if (!(n.v instanceof Map)) return b;
  for (const [k, x] of n.v) {
    if (k === 'content') b.blocks.push({ type: 'content', labels: [], body: body(x, 'content'), pos: x.pos });
    else if (k !== '//') b.attrs.set(k, { name: k, expr: toExpr(x, k === 'iterator'), pos: x.pos });
  }
  return b;
}

/** Blocks of one type: `labels` levels of objects, then a body (or a list of bodies). */
function blocks(type: string, n: JNode, labels: number, prefix: string[], out: Block[]): void {
  if (labels === 0) {
    for (const one of Array.isArray(n.v) ? n.v : [n]) {
      const b = type === 'variable' ? variableBody(one) : type === 'locals' || type === 'terraform' ? attrsBody(one, type) : body(one, type);
      out.push({ type, labels: prefix, body: b, pos: one.pos });
    }
    return;
  }
  const levels = Array.isArray(n.v) ? n.v : [n];
  for (const lvl of levels) {
    if (!(lvl.v instanceof Map)) throw new JsonFailure(-1, `${lvl.pos.line}:${lvl.pos.column}: expected an object of ${type} blocks`);
    for (const [k, x] of lvl.v) if (k !== '//') blocks(type, x, labels - 1, [...prefix, k], out);
  }
}

/** locals and terraform: every property is an attribute (the terraform block's nested ones are read as objects). */
function attrsBody(n: JNode, type: string): Body {
  const b = emptyBody();
  if (!(n.v instanceof Map)) throw new JsonFailure(-1, `${n.pos.line}:${n.pos.column}: a ${type} block must be a JSON object`);
  for (const [k, x] of n.v) if (k !== '//') b.attrs.set(k, { name: k, expr: toExpr(x, false), pos: x.pos });
  return b;
}

function variableBody(n: JNode): Body {
  const b = emptyBody();
  if (!(n.v instanceof Map)) throw new JsonFailure(-1, `${n.pos.line}:${n.pos.column}: a variable block must be a JSON object`);
  for (const [k, x] of n.v) {
    if (k === '//' || k === 'validation') continue;
    // A variable's default is a literal value: its strings are not templates.
    b.attrs.set(k, { name: k, expr: k === 'type' ? toExpr(x, true) : k === 'default' ? literal(x) : toExpr(x, false), pos: x.pos });
  }
  return b;
}

function literal(n: JNode): Expr {
  const v = n.v;
  if (v === null || typeof v !== 'object') return { k: 'lit', value: v, pos: n.pos };
  if (Array.isArray(v)) return { k: 'tuple', items: v.map(literal), pos: n.pos };
  return { k: 'object', items: [...v].map(([k, x]) => ({ key: { k: 'lit', value: k, pos: x.pos }, value: literal(x) })), pos: n.pos };
}

/** A .tf.json file as a body; a .tfvars.json file as attributes (mode 'tfvars'). */
export function parseJsonConfig(file: string, text: string, mode: 'config' | 'tfvars'): ParsedFile {
  const r = new JsonReader(file, text.replace(/^\uFEFF/, ''));
  try {
    const root = r.read();
    if (!(root.v instanceof Map)) throw new JsonFailure(0, 'expected a JSON object');
    const b = emptyBody();
    if (mode === 'tfvars') {
      for (const [k, x] of root.v) if (k !== '//') b.attrs.set(k, { name: k, expr: literal(x), pos: x.pos });
      return { file, body: b, problems: [] };
    }
    for (const [type, x] of root.v) {
      if (type === '//') continue;
      blocks(type, x, LABELS[type] ?? 0, [], b.blocks);
    }
    return { file, body: b, problems: [] };
  } catch (e) {
    if (!(e instanceof JsonFailure)) throw e;
    if (e.at < 0) {
      const m = /^(\d+):(\d+): (.*)$/s.exec(e.message);
      return { file, body: emptyBody(), problems: [{ pos: { file, line: Number(m?.[1] ?? 1), column: Number(m?.[2] ?? 1) }, message: m?.[3] ?? e.message }] };
    }
    return { file, body: emptyBody(), problems: [{ pos: r.pos(e.at), message: `invalid JSON: ${e.message}` }] };
  }
}
