import { partitionOf } from '../arn';
import type { ProviderSupport } from '../../../../iac/terraform-config/evaluator';
import { isObject, obj, primitiveString, type TfObject, TfUnknown, type Value } from '../../../../iac/terraform-config/values';
import { findUnresolved, PartialJson, Unresolved } from '../../../../iac/values';

/**
 * What the AWS provider computes without calling AWS, for Terraform configuration read from
 * code: `aws_iam_policy_document` (much IAM is written with it), and the caller's account,
 * region and partition when the command line or the provider configuration says them. Every
 * other AWS data source reads the account, so its attributes stay unknown.
 */
export function awsConfigSupport(opts: { account?: string; region?: string }): ProviderSupport {
  return {
    dataSource(type, args, ctx) {
      // An empty region in the provider block means the environment's (AWS_REGION): not known here.
      const region = typeof ctx.region === 'string' && ctx.region !== '' ? ctx.region : (opts.region ?? (ctx.region === '' ? new TfUnknown('the region is not set in the provider configuration', 'unset-variable') : ctx.region));
      switch (type) {
        case 'aws_iam_policy_document':
          return policyDocument(args);
        case 'aws_caller_identity': {
          const account = opts.account ?? new TfUnknown('the account id is not known from the code (pass --account)', 'unset-variable');
          return Object.assign(obj(), { account_id: account, id: account });
        }
        case 'aws_region': {
          const given = primitiveString(args.name ?? args.region ?? null);
          const r = given ?? (region instanceof Unresolved ? new TfUnknown('the region is not known from the code (set it in the provider or pass --region)', 'unset-variable') : region);
          return Object.assign(obj(), { name: r, region: r, id: r });
        }
        case 'aws_partition': {
          if (typeof region !== 'string') {
            const u = new TfUnknown('the partition depends on the region, which is not known from the code (pass --region)', 'unset-variable');
            return Object.assign(obj(), { partition: u, id: u, dns_suffix: u });
          }
          const partition = partitionOf(region);
          return Object.assign(obj(), { partition, id: partition, dns_suffix: partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com' });
        }
        default:
          return undefined;
      }
    },
  };
}

type Statement = Record<string, unknown>;

/** Strings of a set argument; an unknown element stays an unknown leaf. */
function strings(v: Value | undefined): unknown[] | Unresolved | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Unresolved) return v;
  if (!Array.isArray(v)) return [primitiveString(v) ?? v];
  return v.map((x) => (x instanceof Unresolved ? x : (primitiveString(x) ?? x)));
}

/** A JSON policy element: a single string when there is one, as the provider writes it. */
function one(xs: unknown[] | Unresolved): unknown {
  if (xs instanceof Unresolved) return xs;
  return xs.length === 1 ? xs[0] : xs;
}

function blocks(v: Value | undefined): TfObject[] | Unresolved {
  if (v instanceof Unresolved) return v;
  if (!Array.isArray(v)) return isObject(v) ? [v] : [];
  const u = v.find((x) => x instanceof Unresolved);
  if (u) return u as Unresolved;
  return v.filter(isObject);
}

function principals(v: Value | undefined): unknown {
  const bs = blocks(v);
  if (bs instanceof Unresolved) return bs;
  if (bs.length === 0) return undefined;
  const out: Record<string, unknown[]> = {};
  for (const b of bs) {
    const type = b.type;
    if (type instanceof Unresolved) return type;
    const ids = strings(b.identifiers);
    if (ids instanceof Unresolved) return ids;
    const t = String(type);
    (out[t] ??= []).push(...(ids ?? []));
  }
  // `type = "*"` with `identifiers = ["*"]` is the anonymous principal "*".
  if (Object.keys(out).length === 1 && out['*']) return '*';
  const p: Record<string, unknown> = {};
  for (const [t, ids] of Object.entries(out)) p[t] = one(ids);
  return p;
}

function conditions(v: Value | undefined): unknown {
  const bs = blocks(v);
  if (bs instanceof Unresolved) return bs;
  if (bs.length === 0) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const b of bs) {
    const test = b.test;
    const variable = b.variable;
    if (test instanceof Unresolved) return test;
    if (variable instanceof Unresolved) return variable;
    const values = strings(b.values);
    const t = String(test);
    const prev = (out[t] ??= {})[String(variable)];
    const vals = values instanceof Unresolved ? values : (values ?? []);
    out[t][String(variable)] = prev === undefined || prev instanceof Unresolved || vals instanceof Unresolved ? one(vals) : one([...(Array.isArray(prev) ? prev : [prev]), ...vals]);
  }
  return out;
}

function statement(b: TfObject): Statement {
  const st: Statement = {};
  const sid = b.sid;
  if (sid !== undefined && sid !== null && sid !== '') st.Sid = sid;
  st.Effect = b.effect === undefined || b.effect === null ? 'Allow' : b.effect;
  const put = (key: string, v: unknown[] | Unresolved | undefined): void => {
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) st[key] = one(v);
  };
  put('Action', strings(b.actions));
  put('NotAction', strings(b.not_actions));
  put('Resource', strings(b.resources));
  put('NotResource', strings(b.not_resources));
  const p = principals(b.principals);
  if (p !== undefined) st.Principal = p;
  const np = principals(b.not_principals);
  if (np !== undefined) st.NotPrincipal = np;
  const c = conditions(b.condition);
  if (c !== undefined) st.Condition = c;
  return st;
}

/** A JSON document argument (source/override documents): decoded, or why not. */
function decoded(v: Value): Record<string, unknown> | Unresolved | undefined {
  if (v instanceof PartialJson) return v.value as Record<string, unknown>;
  if (v instanceof Unresolved) return v;
  if (typeof v !== 'string' || v === '') return undefined;
  try {
    const d = JSON.parse(v) as unknown;
    return d !== null && typeof d === 'object' && !Array.isArray(d) ? (d as Record<string, unknown>) : new TfUnknown('a source policy document is not a JSON object', 'error');
  } catch {
    return new TfUnknown('a source policy document is not valid JSON', 'error');
  }
}

function docStatements(d: Record<string, unknown>): Statement[] {
  const s = d.Statement;
  return Array.isArray(s) ? (s as Statement[]) : s && typeof s === 'object' ? [s as Statement] : [];
}

/**
 * aws_iam_policy_document as the provider renders it: source documents first, this block's
 * statements replacing those with the same Sid, then override documents replacing by Sid.
 * Unknown leaves (an ARN created by the same code) leave the JSON partially known.
 */
function policyDocument(args: TfObject): TfObject {
  const unknown = (u: Unresolved): TfObject => Object.assign(obj(), { json: u, minified_json: u });
  const list = (v: Value | undefined): Value[] | Unresolved => (v === undefined || v === null ? [] : v instanceof Unresolved ? v : Array.isArray(v) ? v : [v]);
  const sources = list(args.source_policy_documents);
  const overrides = list(args.override_policy_documents);
  if (sources instanceof Unresolved) return unknown(sources);
  if (overrides instanceof Unresolved) return unknown(overrides);
  const legacySource = args.source_json;
  const legacyOverride = args.override_json;
  const merged: Statement[] = [];
  const bySid = (sts: Statement[]): void => {
    for (const st of sts) {
      const sid = st.Sid;
      const i = typeof sid === 'string' && sid !== '' ? merged.findIndex((x) => x.Sid === sid) : -1;
      if (i >= 0) merged[i] = st;
      else merged.push(st);
    }
  };
  for (const s of [...(legacySource !== undefined && legacySource !== null ? [legacySource] : []), ...sources]) {
    const d = decoded(s);
    if (d instanceof Unresolved) return unknown(d);
    if (d) bySid(docStatements(d));
  }
  const sts = blocks(args.statement);
  if (sts instanceof Unresolved) return unknown(sts);
  bySid(sts.map(statement));
  for (const s of [...(legacyOverride !== undefined && legacyOverride !== null ? [legacyOverride] : []), ...overrides]) {
    const d = decoded(s);
    if (d instanceof Unresolved) return unknown(d);
    if (d) bySid(docStatements(d));
  }
  const doc: Record<string, unknown> = { Version: args.version ?? '2012-10-17' };
  if (args.policy_id !== undefined && args.policy_id !== null) doc.Id = args.policy_id;
  doc.Statement = merged;
  const u = findUnresolved(doc);
  if (!u) {
    const text = JSON.stringify(doc, null, 2);
    return Object.assign(obj(), { json: text, minified_json: JSON.stringify(doc) });
  }
  const partial = new PartialJson(`policy document: ${u.reason}`, u.refs, doc);
  return Object.assign(obj(), { json: partial, minified_json: partial });
}
