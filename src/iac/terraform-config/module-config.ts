import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type Attribute, type Block, type Body, type Expr, type ParsedFile, type Pos, type SyntaxProblem, traversal } from './ast';
import { parseJsonConfig } from './json-syntax';
import { HclReader } from './parser';
import { parseType, type TypeC } from './types';

/**
 * One module's configuration: the .tf and .tf.json files of one folder, sorted into variables,
 * locals, outputs, resources, data sources, module calls and provider configurations. Override
 * files (override.tf, *_override.tf) are merged into the blocks they name, as Terraform does.
 */

export interface ProviderRef {
  name: string;
  alias?: string;
}

export interface ResourceConfig {
  mode: 'managed' | 'data';
  type: string;
  name: string;
  body: Body;
  pos: Pos;
  count?: Attribute;
  forEach?: Attribute;
  provider?: ProviderRef;
}

export interface ModuleCall {
  name: string;
  source?: string;
  body: Body;
  pos: Pos;
  count?: Attribute;
  forEach?: Attribute;
  /** Child provider (local name and alias) → the parent's provider configuration. */
  providers: { child: ProviderRef; parent: ProviderRef }[];
}

export interface VariableConfig {
  name: string;
  type?: TypeC;
  default?: Expr;
  sensitive: boolean;
  nullable: boolean;
  pos: Pos;
}

export interface OutputConfig {
  name: string;
  expr?: Expr;
  pos: Pos;
}

export interface ProviderBlock {
  name: string;
  alias?: string;
  body: Body;
  pos: Pos;
}

export interface ModuleConfig {
  dir: string;
  files: string[];
  variables: Map<string, VariableConfig>;
  locals: Map<string, Attribute>;
  outputs: Map<string, OutputConfig>;
  resources: Map<string, ResourceConfig>;
  data: Map<string, ResourceConfig>;
  calls: Map<string, ModuleCall>;
  providers: ProviderBlock[];
  problems: SyntaxProblem[];
}

/** Files larger than this are not Terraform a person wrote; they are reported, not read. */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

export function isConfigFile(name: string): boolean {
  return (name.endsWith('.tf') || name.endsWith('.tf.json')) && !name.startsWith('.');
}

function isOverride(name: string): boolean {
  return /(^|_)override\.tf(\.json)?$/.test(name);
}

/** Parses one file (native or JSON syntax by its name). */
export function parseConfigFile(path: string, display: string, mode: 'config' | 'tfvars' = 'config'): ParsedFile {
  let text: string;
  try {
    const st = statSync(path);
    if (st.size > MAX_FILE_BYTES) return { file: display, body: { attrs: new Map(), blocks: [] }, problems: [{ pos: { file: display, line: 1, column: 1 }, message: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; not read` }] };
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { file: display, body: { attrs: new Map(), blocks: [] }, problems: [{ pos: { file: display, line: 1, column: 1 }, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }] };
  }
  if (path.endsWith('.json')) return parseJsonConfig(display, text, mode);
  return new HclReader(display, text.replace(/^\uFEFF/, '')).parse(mode);
}

function str(e: Expr | undefined): string | undefined {
  if (!e) return undefined;
  if (e.k === 'lit' && typeof e.value === 'string') return e.value;
  if (e.k === 'template' && e.parts.every((p) => p.k === 'text')) return e.parts.map((p) => (p as { text: string }).text).join('');
  return undefined;
}

function boolLit(e: Expr | undefined, fallback: boolean): boolean {
  return e?.k === 'lit' && typeof e.value === 'boolean' ? e.value : fallback;
}

/** `aws`, `aws.east` as a reference expression (or, in the JSON syntax, a string). */
export function providerRef(e: Expr | undefined): ProviderRef | undefined {
  if (!e) return undefined;
  const s = str(e);
  if (s !== undefined) {
    const [name, alias] = s.split('.');
    return { name, alias };
  }
  const t = traversal(e);
  if (!t) return undefined;
  const alias = t.steps[0]?.k === 'attr' ? t.steps[0].name : undefined;
  return { name: t.root, alias };
}

/** Reads one module folder. */
export function readModule(dir: string, cwd: string): ModuleConfig {
  const m: ModuleConfig = {
    dir,
    files: [],
    variables: new Map(),
    locals: new Map(),
    outputs: new Map(),
    resources: new Map(),
    data: new Map(),
    calls: new Map(),
    providers: [],
    problems: [],
  };
  let names: string[];
  try {
    names = readdirSync(dir).filter(isConfigFile).sort();
  } catch (e) {
    m.problems.push({ pos: { file: relative(cwd, dir) || '.', line: 1, column: 1 }, message: `cannot read the module folder: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return m;
  }
  const main = names.filter((n) => !isOverride(n));
  const overrides = names.filter(isOverride);
  for (const n of main) {
    const path = join(dir, n);
    const display = relative(cwd, path) || n;
    m.files.push(display);
    const parsed = parseConfigFile(path, display);
    m.problems.push(...parsed.problems);
    for (const b of parsed.body.blocks) addBlock(m, b);
    for (const a of parsed.body.attrs.values()) m.problems.push({ pos: a.pos, message: `unexpected attribute '${a.name}' at the top level (expected blocks)` });
  }
  for (const n of overrides) {
    const path = join(dir, n);
    const display = relative(cwd, path) || n;
    m.files.push(display);
    const parsed = parseConfigFile(path, display);
    m.problems.push(...parsed.problems);
    for (const b of parsed.body.blocks) applyOverride(m, b);
  }
  return m;
}

function metaAttrs(body: Body): { count?: Attribute; forEach?: Attribute; provider?: ProviderRef } {
  return { count: body.attrs.get('count'), forEach: body.attrs.get('for_each'), provider: providerRef(body.attrs.get('provider')?.expr) };
}

function addBlock(m: ModuleConfig, b: Block): void {
  const dup = (what: string): void => void m.problems.push({ pos: b.pos, message: `${what} is declared twice` });
  switch (b.type) {
    case 'variable': {
      const name = b.labels[0];
      if (!name) return void m.problems.push({ pos: b.pos, message: 'a variable block needs a name' });
      if (m.variables.has(name)) return dup(`variable "${name}"`);
      const typeAttr = b.body.attrs.get('type');
      let type: TypeC | undefined;
      if (typeAttr) {
        const t = parseType(typeAttr.expr);
        if (t.problem) m.problems.push({ pos: typeAttr.pos, message: `variable "${name}": ${t.problem}` });
        type = t.type;
      }
      m.variables.set(name, {
        name,
        type,
        default: b.body.attrs.get('default')?.expr,
        sensitive: boolLit(b.body.attrs.get('sensitive')?.expr, false),
        nullable: boolLit(b.body.attrs.get('nullable')?.expr, true),
        pos: b.pos,
      });
      return;
    }
    case 'locals':
      for (const a of b.body.attrs.values()) {
        if (m.locals.has(a.name)) m.problems.push({ pos: a.pos, message: `local.${a.name} is declared twice` });
        else m.locals.set(a.name, a);
      }
      return;
    case 'output': {
      const name = b.labels[0];
      if (!name) return void m.problems.push({ pos: b.pos, message: 'an output block needs a name' });
      if (m.outputs.has(name)) return dup(`output "${name}"`);
      m.outputs.set(name, { name, expr: b.body.attrs.get('value')?.expr, pos: b.pos });
      return;
    }
    case 'resource':
    case 'data': {
      const [type, name] = b.labels;
      if (!type || !name) return void m.problems.push({ pos: b.pos, message: `a ${b.type} block needs a type and a name` });
      const key = `${type}.${name}`;
      const map = b.type === 'resource' ? m.resources : m.data;
      if (map.has(key)) return dup(`${b.type === 'data' ? 'data.' : ''}${key}`);
      map.set(key, { mode: b.type === 'resource' ? 'managed' : 'data', type, name, body: b.body, pos: b.pos, ...metaAttrs(b.body) });
      return;
    }
    case 'module': {
      const name = b.labels[0];
      if (!name) return void m.problems.push({ pos: b.pos, message: 'a module block needs a name' });
      if (m.calls.has(name)) return dup(`module "${name}"`);
      const providers: ModuleCall['providers'] = [];
      const pm = b.body.attrs.get('providers')?.expr;
      if (pm?.k === 'object') {
        for (const it of pm.items) {
          const child = providerRef(it.key.k === 'lit' ? { ...it.key, k: 'lit', value: String(it.key.value) } : it.key);
          const parent = providerRef(it.value);
          if (child && parent) providers.push({ child, parent });
        }
      }
      m.calls.set(name, { name, source: str(b.body.attrs.get('source')?.expr), body: b.body, pos: b.pos, count: b.body.attrs.get('count'), forEach: b.body.attrs.get('for_each'), providers });
      return;
    }
    case 'provider': {
      const name = b.labels[0];
      if (!name) return;
      m.providers.push({ name, alias: str(b.body.attrs.get('alias')?.expr), body: b.body, pos: b.pos });
      return;
    }
    default:
      // terraform, moved, import, removed, check: nothing trustscan checks.
      return;
  }
}

/** Merges an override file's block into the block it names (attributes and nested block types replaced). */
function applyOverride(m: ModuleConfig, b: Block): void {
  const merge = (target: Body, over: Body): void => {
    for (const [k, a] of over.attrs) target.attrs.set(k, a);
    const types = new Set(over.blocks.map((x) => x.type));
    target.blocks = [...target.blocks.filter((x) => !types.has(x.type)), ...over.blocks];
  };
  if (b.type === 'resource' || b.type === 'data') {
    const map = b.type === 'resource' ? m.resources : m.data;
    const r = map.get(`${b.labels[0]}.${b.labels[1]}`);
    if (!r) return void m.problems.push({ pos: b.pos, message: `override for ${b.labels.join('.')}, which is not declared` });
    merge(r.body, b.body);
    Object.assign(r, metaAttrs(r.body));
  } else if (b.type === 'locals') {
    for (const a of b.body.attrs.values()) m.locals.set(a.name, a);
  } else if (b.type === 'variable' || b.type === 'output' || b.type === 'module' || b.type === 'provider') {
    // Replace wholesale: these are small blocks and their attributes are read at declaration.
    if (b.type === 'variable') m.variables.delete(b.labels[0]);
    if (b.type === 'output') m.outputs.delete(b.labels[0]);
    if (b.type === 'module') m.calls.delete(b.labels[0]);
    addBlock(m, b);
  }
}
