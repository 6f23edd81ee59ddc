import type { ProviderSupport } from '../../../iac/terraform-config/evaluator';
import { isObject, obj, type TfObject, type Value } from '../../../iac/terraform-config/values';
import { findUnresolved, PartialJson, Unresolved } from '../../../iac/values';

/**
 * What the google provider computes without calling Google Cloud, for Terraform configuration
 * read from code: `google_iam_policy`, the data source most `*_iam_policy` resources take their
 * `policy_data` from. Every other google data source reads the cloud: its attributes stay unknown.
 */
export function gcpConfigSupport(): ProviderSupport {
  return {
    dataSource(type, args) {
      return type === 'google_iam_policy' ? iamPolicy(args) : undefined;
    },
  };
}

function blocks(v: Value | undefined): TfObject[] | Unresolved {
  if (v instanceof Unresolved) return v;
  if (!Array.isArray(v)) return isObject(v) ? [v] : [];
  const u = v.find((x) => x instanceof Unresolved);
  return u ? (u as Unresolved) : v.filter(isObject);
}

const strings = (v: Value | undefined): Value => (v === undefined || v === null ? [] : v);

/** The policy JSON google_iam_policy renders: bindings (with conditions) and audit configs; unknown leaves keep it partial. */
function iamPolicy(args: TfObject): TfObject {
  const unknown = (u: Unresolved): TfObject => Object.assign(obj(), { policy_data: u });
  const bs = blocks(args.binding);
  if (bs instanceof Unresolved) return unknown(bs);
  const as = blocks(args.audit_config);
  if (as instanceof Unresolved) return unknown(as);
  const bindings: unknown[] = [];
  for (const b of bs) {
    const conds = blocks(b.condition);
    const c = conds instanceof Unresolved ? conds : conds[0];
    bindings.push({
      role: b.role,
      members: strings(b.members),
      ...(c === undefined ? {} : { condition: c instanceof Unresolved ? c : { title: c.title ?? '', expression: c.expression ?? '', ...(typeof c.description === 'string' ? { description: c.description } : {}) } }),
    });
  }
  const auditConfigs: unknown[] = [];
  for (const a of as) {
    const logs = blocks(a.audit_log_configs);
    auditConfigs.push({
      service: a.service,
      auditLogConfigs: logs instanceof Unresolved ? logs : logs.map((l) => ({ logType: l.log_type, exemptedMembers: strings(l.exempted_members) })),
    });
  }
  const doc = { ...(auditConfigs.length ? { auditConfigs } : {}), bindings };
  const u = findUnresolved(doc);
  const data = u ? new PartialJson(`IAM policy: ${u.reason}`, u.refs, doc) : JSON.stringify(doc);
  return Object.assign(obj(), { policy_data: data });
}
