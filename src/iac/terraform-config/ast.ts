/**
 * The syntax tree of Terraform configuration, the same for the native syntax (.tf) and the JSON
 * syntax (.tf.json): bodies of attributes and blocks, and expressions with their place in the
 * file. Positions are 1-based lines and columns, as a user reads them in an editor.
 */

export interface Pos {
  file: string;
  line: number;
  column: number;
}

export type TemplatePart =
  | { k: 'text'; text: string }
  | { k: 'interp'; expr: Expr; stripLeft: boolean; stripRight: boolean }
  | { k: 'if'; cond: Expr; then: TemplatePart[]; else: TemplatePart[]; stripLeft: boolean; stripRight: boolean }
  | { k: 'for'; keyVar?: string; valVar: string; coll: Expr; body: TemplatePart[]; stripLeft: boolean; stripRight: boolean };

/** One step after the root of a traversal: `.name`, `[key]`. */
export type Step = { k: 'attr'; name: string } | { k: 'index'; key: Expr };

export type Expr =
  | { k: 'lit'; value: null | boolean | number | string; pos: Pos }
  | { k: 'template'; parts: TemplatePart[]; pos: Pos }
  | { k: 'tuple'; items: Expr[]; pos: Pos }
  | { k: 'object'; items: { key: Expr; value: Expr }[]; pos: Pos }
  /** A root variable (`var`, `aws_s3_bucket`, `each`, a for-expression symbol). */
  | { k: 'var'; name: string; pos: Pos }
  | { k: 'attr'; obj: Expr; name: string; pos: Pos }
  | { k: 'index'; obj: Expr; key: Expr; pos: Pos }
  /** `obj[*].each` / `obj.*.each`: `each` is evaluated with the element as `anon`. */
  | { k: 'splat'; obj: Expr; each: Expr; pos: Pos }
  /** The element inside a splat's `each` expression. */
  | { k: 'anon'; pos: Pos }
  | { k: 'call'; name: string; args: Expr[]; expand: boolean; pos: Pos }
  | { k: 'cond'; cond: Expr; then: Expr; else: Expr; pos: Pos }
  | { k: 'unary'; op: '-' | '!'; expr: Expr; pos: Pos }
  | { k: 'binary'; op: string; left: Expr; right: Expr; pos: Pos }
  | { k: 'for'; keyVar?: string; valVar: string; coll: Expr; key?: Expr; value: Expr; cond?: Expr; group: boolean; pos: Pos }
  | { k: 'paren'; expr: Expr; pos: Pos };

export interface Attribute {
  name: string;
  expr: Expr;
  pos: Pos;
}

export interface Block {
  type: string;
  labels: string[];
  body: Body;
  pos: Pos;
}

export interface Body {
  attrs: Map<string, Attribute>;
  blocks: Block[];
}

/** A syntax problem, located. */
export interface SyntaxProblem {
  pos: Pos;
  message: string;
}

export interface ParsedFile {
  file: string;
  body: Body;
  problems: SyntaxProblem[];
}

export function emptyBody(): Body {
  return { attrs: new Map(), blocks: [] };
}

/**
 * Terraform's reference syntax for a traversal (`aws_s3_bucket.b[0].id`), as the plan's
 * `configuration` lists it: every static prefix from `TYPE.NAME` (resources) or `var.x` on.
 * An index that is not a literal is written as its source form when it is `count.index` or
 * `each.key`, else as `[*]`, which readers take as "any instance".
 */
export function references(e: Expr, out: Set<string> = new Set()): Set<string> {
  const visitList = (xs: Expr[]): void => {
    for (const x of xs) references(x, out);
  };
  switch (e.k) {
    case 'var':
    case 'attr':
    case 'index': {
      const t = traversal(e);
      if (t) {
        // `data.TYPE.NAME` needs two steps to name something; everything else one.
        const minSteps = t.root === 'data' ? 2 : 1;
        const texts: string[] = [];
        let text = t.root;
        t.steps.forEach((s, i) => {
          text += s.k === 'attr' ? `.${s.name}` : indexText(s.key);
          if (i + 1 >= minSteps) texts.push(text);
        });
        for (const x of texts.reverse()) out.add(x);
        for (const s of t.steps) if (s.k === 'index') references(s.key, out);
        return out;
      }
      if (e.k === 'attr') references(e.obj, out);
      if (e.k === 'index') {
        references(e.obj, out);
        references(e.key, out);
      }
      return out;
    }
    case 'template':
      for (const p of e.parts) templateRefs(p, out);
      return out;
    case 'tuple':
      visitList(e.items);
      return out;
    case 'object':
      for (const it of e.items) {
        if (!(it.key.k === 'var')) references(it.key, out);
        references(it.value, out);
      }
      return out;
    case 'splat':
      references(e.obj, out);
      references(e.each, out);
      return out;
    case 'call':
      visitList(e.args);
      return out;
    case 'cond':
      visitList([e.cond, e.then, e.else]);
      return out;
    case 'unary':
    case 'paren':
      return references(e.expr, out);
    case 'binary':
      visitList([e.left, e.right]);
      return out;
    case 'for': {
      const inner = new Set<string>();
      references(e.coll, out);
      for (const x of [e.value, e.key, e.cond]) if (x) references(x, inner);
      for (const r of inner) {
        const root = r.split(/[.[]/)[0];
        if (root !== e.valVar && root !== e.keyVar) out.add(r);
      }
      return out;
    }
    default:
      return out;
  }
}

function templateRefs(p: TemplatePart, out: Set<string>): void {
  if (p.k === 'interp') references(p.expr, out);
  else if (p.k === 'if') {
    references(p.cond, out);
    for (const x of [...p.then, ...p.else]) templateRefs(x, out);
  } else if (p.k === 'for') {
    references(p.coll, out);
    const inner = new Set<string>();
    for (const x of p.body) templateRefs(x, inner);
    for (const r of inner) {
      const root = r.split(/[.[]/)[0];
      if (root !== p.valVar && root !== p.keyVar) out.add(r);
    }
  }
}

function indexText(key: Expr): string {
  if (key.k === 'lit' && typeof key.value === 'number') return `[${key.value}]`;
  if (key.k === 'lit' && typeof key.value === 'string') return `[${JSON.stringify(key.value)}]`;
  if (key.k === 'template' && key.parts.length === 1 && key.parts[0].k === 'text') return `[${JSON.stringify(key.parts[0].text)}]`;
  if (key.k === 'template' && key.parts.length === 0) return '[""]';
  const t = key.k === 'attr' ? traversal(key) : undefined;
  if (t && t.steps.length === 1 && t.steps[0].k === 'attr') {
    const s = `${t.root}.${t.steps[0].name}`;
    if (s === 'count.index' || s === 'each.key') return `[${s}]`;
  }
  return '[*]';
}

/** A static traversal: a root name then attribute and index steps (`a.b[0].c`). */
export function traversal(e: Expr): { root: string; steps: Step[]; pos: Pos } | undefined {
  const steps: Step[] = [];
  let cur: Expr = e;
  for (;;) {
    if (cur.k === 'attr') {
      steps.push({ k: 'attr', name: cur.name });
      cur = cur.obj;
    } else if (cur.k === 'index') {
      steps.push({ k: 'index', key: cur.key });
      cur = cur.obj;
    } else break;
  }
  if (cur.k !== 'var') return undefined;
  return { root: cur.name, steps: steps.reverse(), pos: cur.pos };
}
