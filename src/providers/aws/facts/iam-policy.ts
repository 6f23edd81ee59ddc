/**
 * IAM policy documents, parsed and normalised once per document object (a WeakMap keyed by the
 * document), so that a managed policy attached to three thousand principals is read once.
 *
 * What AWS does, and what this module keeps of it:
 * - `Statement` is one object or an array; `Action`/`NotAction`, `Resource`/`NotResource` and
 *   principal lists are one string or an array.
 * - Action names are case-insensitive (kept lower-cased here); resource ARNs are case-sensitive.
 * - `*` matches any run of characters and `?` one character, in actions and resources alike.
 * - Condition operator names are case-sensitive, condition keys case-insensitive (kept lower-cased).
 * - Policy variables (`${aws:username}`) are resolved by AWS per request; here a resource pattern
 *   holding one is widened or narrowed, whichever makes the analysis err towards "granted"
 *   (see `patternsFor`), so a variable can never hide a grant.
 */

/** A glob compiled to a predicate. */
export type Matcher = (s: string) => boolean;

/** A character that no policy pattern contains: fills wildcards when making example strings. */
export const FILL = '\u0001';
/** An action no pattern names: only wildcard patterns match it. Two lengths, for `?` patterns. */
export const FRESH_ACTIONS = [`${FILL}:${FILL}`, `${FILL.repeat(9)}:${FILL.repeat(17)}`];
/** An ARN no pattern names. */
export const FRESH_ARN = `arn:${FILL}:${FILL}:${FILL}:${FILL}:${FILL}`;

const globCache = new Map<string, Matcher>();
const ALWAYS: Matcher = () => true;

function escapeRegExp(s: string): string {
  return s.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
}

/** Compiles a `*`/`?` glob (case-sensitive; callers lower-case actions first). Cached by pattern. */
export function glob(pattern: string): Matcher {
  let m = globCache.get(pattern);
  if (m) return m;
  const star = pattern.indexOf('*');
  const q = pattern.indexOf('?');
  if (/^\*+$/.test(pattern)) m = ALWAYS;
  else if (star < 0 && q < 0) m = (s) => s === pattern;
  else if (q < 0 && star === pattern.length - 1) {
    const prefix = pattern.slice(0, -1);
    m = (s) => s.startsWith(prefix);
  } else {
    const re = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : escapeRegExp(c))).join('')}$`, 's');
    m = (s) => re.test(s);
  }
  globCache.set(pattern, m);
  return m;
}

/** Example strings a pattern matches: each `*` empty, then each wildcard filled with FILL. */
export function instances(pattern: string): string[] {
  const empty = pattern.replace(/\*/g, '').replace(/\?/g, FILL);
  const filled = pattern.replace(/[*?]/g, FILL);
  return empty === filled ? [empty] : [empty, filled];
}

const VARIABLE = /\$\{[^}]*\}/;
/**
 * A resource pattern that names only the caller: its last segment (the user name; names are
 * unique whatever the path) is the caller's own name and nothing else. `user/${aws:username}*`
 * or `user/${aws:username}/*` also match other users.
 */
const SELF_ONLY = /\/\$\{aws:(username|userid)\}$/i;

/** Action or resource patterns of a statement, ready to match. */
export interface Patterns {
  /** Patterns as written (variables replaced as described on `patternsFor`). */
  raw: string[];
  match: Matcher[];
  /** NotAction / NotResource / NotPrincipal: the statement applies to everything else. */
  negated: boolean;
  /**
   * For long action lists (ReadOnlyAccess names 1,000+ patterns): the matchers by literal service
   * prefix, and those whose service part has a wildcard. A pattern `s3:Get*` can only match
   * actions of `s3`, so matching looks at one bucket instead of the whole list.
   */
  index: { byService: Map<string, Matcher[]>; wild: Matcher[] } | null;
}

/** Lists shorter than this are scanned; longer ones are indexed by service. */
const INDEX_FROM = 16;

function indexByService(raw: string[], match: Matcher[]): Patterns['index'] {
  const byService = new Map<string, Matcher[]>();
  const wild: Matcher[] = [];
  raw.forEach((p, i) => {
    const colon = p.indexOf(':');
    const svc = colon < 0 ? null : p.slice(0, colon);
    if (svc === null || /[*?]/.test(svc)) wild.push(match[i]);
    else {
      let list = byService.get(svc);
      if (!list) byService.set(svc, (list = []));
      list.push(match[i]);
    }
  });
  return { byService, wild };
}

export interface Condition {
  /** Operator without set prefix or IfExists, as written (`StringEquals`, `Bool`, `IpAddress`, …). */
  op: string;
  /** `ForAllValues` / `ForAnyValue` / null. */
  set: 'ForAllValues' | 'ForAnyValue' | null;
  ifExists: boolean;
  /** Key, lower-cased (`aws:sourceip`, `aws:principaltag/team`). */
  key: string;
  /** Key as written, for messages. */
  keyText: string;
  values: string[];
}

export interface Principals {
  /** `"Principal": "*"`. */
  anyone: boolean;
  aws: string[];
  service: string[];
  federated: string[];
  canonicalUser: string[];
}

export interface Statement {
  /** 0-based position in the document, for messages. */
  index: number;
  sid: string | null;
  effect: 'Allow' | 'Deny';
  /** Lower-cased action patterns. */
  actions: Patterns;
  /**
   * Resource patterns widened for an Allow and narrowed for a Deny (so policy variables never hide
   * a grant); null when the statement names no resource (trust policies).
   */
  resources: Patterns | null;
  /** For Allow statements: which `resources.raw` only ever name the caller (`…/${aws:username}`). */
  selfOnly: boolean[] | null;
  principals: Principals | null;
  notPrincipal: boolean;
  conditions: Condition[];
  /** Where the statement comes from, for evidence: `arn:…:policy/x`, `inline policy 'p'`. */
  source: string;
}

export interface ParsedPolicy {
  statements: Statement[];
  /** Why (part of) the document could not be understood; a non-empty list makes verdicts UNKNOWN. */
  problems: string[];
}

function strings(v: unknown): string[] | null {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  return null;
}

/**
 * A resource pattern list as the analysis uses it. For an Allow (widen), a variable in `Resource`
 * matches anything and a `NotResource` pattern with a variable excludes nothing; for a Deny
 * (narrow), the other way round. Either way the analysis can only over-state what is granted.
 */
function patternsFor(list: string[], negated: boolean, widen: boolean): { raw: string[]; selfOnly: boolean[] } {
  const raw: string[] = [];
  const selfOnly: boolean[] = [];
  const anything = widen !== negated; // variables become `*` when that widens the statement
  for (const p of list) {
    if (!VARIABLE.test(p)) {
      raw.push(p);
      selfOnly.push(false);
    } else if (anything) {
      raw.push(p.replace(/\$\{[^}]*\}/g, '*'));
      selfOnly.push(!negated && SELF_ONLY.test(p));
    }
    // otherwise the pattern is dropped: it matches nothing for this purpose
  }
  return { raw, selfOnly };
}

function makePatterns(raw: string[], negated: boolean, byService = false): Patterns {
  const match = raw.map(glob);
  return { raw, match, negated, index: byService && raw.length >= INDEX_FROM ? indexByService(raw, match) : null };
}

function any(list: readonly Matcher[], s: string): boolean {
  for (const m of list) if (m(s)) return true;
  return false;
}

export function matches(p: Patterns, s: string): boolean {
  let hit: boolean;
  if (p.index === null) hit = any(p.match, s);
  else {
    const colon = s.indexOf(':');
    const bucket = colon < 0 ? undefined : p.index.byService.get(s.slice(0, colon));
    hit = any(p.index.wild, s) || (bucket !== undefined && any(bucket, s));
  }
  return hit !== p.negated;
}

function parsePrincipals(v: unknown): Principals | string {
  const out: Principals = { anyone: false, aws: [], service: [], federated: [], canonicalUser: [] };
  if (v === '*') {
    out.anyone = true;
    return out;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return `Principal must be "*" or an object`;
  for (const [k, raw] of Object.entries(v as Record<string, unknown>)) {
    const list = strings(raw);
    if (list === null) return `Principal.${k} must be a string or a list of strings`;
    if (k === 'AWS') out.aws.push(...list);
    else if (k === 'Service') out.service.push(...list);
    else if (k === 'Federated') out.federated.push(...list);
    else if (k === 'CanonicalUser') out.canonicalUser.push(...list);
    else return `unknown principal type '${k}'`;
  }
  return out;
}

function parseConditions(v: unknown): Condition[] | string {
  if (v === undefined) return [];
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return 'Condition must be an object';
  const out: Condition[] = [];
  for (const [opText, block] of Object.entries(v as Record<string, unknown>)) {
    if (block === null || typeof block !== 'object' || Array.isArray(block)) return `Condition.${opText} must be an object`;
    let op = opText;
    let set: Condition['set'] = null;
    const colon = op.indexOf(':');
    if (colon >= 0) {
      const prefix = op.slice(0, colon);
      if (prefix !== 'ForAllValues' && prefix !== 'ForAnyValue') return `unknown condition set operator '${prefix}'`;
      set = prefix;
      op = op.slice(colon + 1);
    }
    const ifExists = op.endsWith('IfExists');
    if (ifExists) op = op.slice(0, -'IfExists'.length);
    for (const [keyText, raw] of Object.entries(block as Record<string, unknown>)) {
      const values = Array.isArray(raw) ? raw.map(String) : [String(raw)];
      out.push({ op, set, ifExists, key: keyText.toLowerCase(), keyText, values });
    }
  }
  return out;
}

/** Parses one statement; a string is the problem that makes it unusable. */
function parseStatement(raw: unknown, index: number, source: string): Statement | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return `statement ${index + 1} is not an object`;
  const st = raw as Record<string, unknown>;
  const effect = st.Effect;
  if (effect !== 'Allow' && effect !== 'Deny') return `statement ${index + 1}: Effect must be "Allow" or "Deny"`;
  const hasAction = 'Action' in st;
  if (hasAction === 'NotAction' in st) return `statement ${index + 1}: needs exactly one of Action and NotAction`;
  const actionList = strings(hasAction ? st.Action : st.NotAction);
  if (actionList === null) return `statement ${index + 1}: ${hasAction ? 'Action' : 'NotAction'} must be a string or a list of strings`;
  const actions = makePatterns(
    actionList.map((a) => a.toLowerCase()),
    !hasAction,
    true,
  );
  let resources: Patterns | null = null;
  let selfOnly: boolean[] | null = null;
  if ('Resource' in st || 'NotResource' in st) {
    if ('Resource' in st && 'NotResource' in st) return `statement ${index + 1}: has both Resource and NotResource`;
    const negated = !('Resource' in st);
    const list = strings(negated ? st.NotResource : st.Resource);
    if (list === null) return `statement ${index + 1}: ${negated ? 'NotResource' : 'Resource'} must be a string or a list of strings`;
    const p = patternsFor(list, negated, effect === 'Allow');
    resources = makePatterns(p.raw, negated);
    if (effect === 'Allow') selfOnly = p.selfOnly;
  }
  let principals: Principals | null = null;
  const notPrincipal = 'NotPrincipal' in st;
  if ('Principal' in st || notPrincipal) {
    const p = parsePrincipals(notPrincipal ? st.NotPrincipal : st.Principal);
    if (typeof p === 'string') return `statement ${index + 1}: ${p}`;
    principals = p;
  }
  const conditions = parseConditions(st.Condition);
  if (typeof conditions === 'string') return `statement ${index + 1}: ${conditions}`;
  return {
    index,
    sid: typeof st.Sid === 'string' ? st.Sid : null,
    effect,
    actions,
    resources,
    selfOnly,
    principals,
    notPrincipal,
    conditions,
    source,
  };
}

const parsed = new WeakMap<object, ParsedPolicy>();
const EMPTY: ParsedPolicy = { statements: [], problems: [] };

/**
 * The normalised statements of a policy document (null → no statements). Parsed once per
 * document object; `source` labels the statements for evidence (the first label given wins).
 */
export function parsePolicy(doc: unknown, source: string): ParsedPolicy {
  if (doc === null || doc === undefined) return EMPTY;
  if (typeof doc !== 'object' || Array.isArray(doc)) return { statements: [], problems: [`${source}: the document is not a JSON object`] };
  const cached = parsed.get(doc);
  if (cached) return cached;
  const out: ParsedPolicy = { statements: [], problems: [] };
  const raw = (doc as Record<string, unknown>).Statement;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  list.forEach((s, i) => {
    const st = parseStatement(s, i, source);
    if (typeof st === 'string') out.problems.push(`${source}: ${st}`);
    else out.statements.push(st);
  });
  parsed.set(doc, out);
  return out;
}

/** True when the statement's action patterns match the (lower-cased) action. */
export function allowsActionName(s: Statement, action: string): boolean {
  return matches(s.actions, action);
}

/** True when the statement applies to `resource` (statements without Resource apply to all). */
export function appliesToResource(s: Statement, resource: string, skipSelfOnly = false): boolean {
  const p = s.resources;
  if (p === null) return true;
  if (!skipSelfOnly || s.selfOnly === null) return matches(p, resource);
  let hit = false;
  for (let i = 0; i < p.match.length; i++) {
    if (!s.selfOnly[i] && p.match[i](resource)) {
      hit = true;
      break;
    }
  }
  return hit !== p.negated;
}
