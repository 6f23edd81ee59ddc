import { sha256 } from '../core/hash';
import type { Finding, FindingResource } from '../core/types';
import type { EvalContext } from './eval-context';
import type { Outcome } from './evaluator';
import type { CompiledRule } from './rule-types';
import { UNKNOWN } from '../core/tri';
import { factValue } from './paths';
import { settleUnknownEvidence } from './evidence-unknowns';

/** Evidence key listing unknown inputs that did not decide a PASS or FAIL (see README, "Why a finding is UNKNOWN"). */
export const NOT_DECIDING = 'unknownNotDeciding';

/**
 * Stable id of a problem: rule id plus resource identity. Unchanged by rule edits, evidence or
 * status, so a SIEM or a baseline can follow one finding across runs.
 */
export function fingerprint(ruleId: string, r: Pick<FindingResource, 'provider' | 'account' | 'region' | 'type' | 'id'>): string {
  return sha256([ruleId, r.provider, r.account, r.region, r.type, r.id].join('\n')).slice(0, 32);
}

/** A value of the resource for a message; its id where the value is missing or empty (a resource without a name). */
function fill(template: string, r: FindingResource): string {
  return template.replace(/\{(name|id|account|region|type)\}/g, (_, k: keyof FindingResource) => {
    const v = r[k];
    return v === undefined || v === null || v === '' ? r.id : String(v);
  });
}

function message(rule: CompiledRule, o: Outcome, r: FindingResource, reasons: string[]): string {
  const who = r.name || r.id;
  if (o.status === 'PASS') return rule.def.messages?.pass ? fill(rule.def.messages.pass, r) : `${rule.def.title}: ${who}`;
  if (o.status === 'FAIL') return rule.def.messages?.fail ? fill(rule.def.messages.fail, r) : `Not met — ${rule.def.title}: ${who}`;
  return `Could not evaluate — ${rule.def.title}: ${who}: ${reasons[0] ?? 'data missing'}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}`;
}

/** Turns an outcome into the Finding contract: resource, evidence, reasons, message, fingerprint. */
export function buildFinding(o: Outcome, ctx: EvalContext): Finding {
  const { rule } = o;
  const def = rule.def;
  let resource: FindingResource;
  const evidence: Record<string, unknown> = {};
  const reasons: string[] = [];
  if (o.entry) {
    const r = o.entry.r;
    resource = { id: r.id, type: r.type, provider: r.provider, account: r.account, region: r.region };
    // An empty name is no name: tables and reports then show the id (an ARN on AWS).
    if (r.name !== undefined && r.name !== '') resource.name = r.name;
    if (r.source.kind !== 'runtime') resource.source = r.source;
    if (rule.when) rule.when.explain(o.entry.root, ctx, evidence);
    rule.check.explain(o.entry.root, ctx, evidence);
    if (o.status === 'UNKNOWN') {
      if (rule.when && rule.when.fn(o.entry.root, ctx) === UNKNOWN) rule.when.why(o.entry.root, ctx, reasons);
      else rule.check.why(o.entry.root, ctx, reasons);
    } else if (o.entry.unknown !== null) {
      // A decided verdict may still have read unknown inputs (three-valued logic: `any` with one
      // true branch). Say which, so that a PASS never hides what was not read.
      const ignored: string[] = [];
      if (rule.when) rule.when.why(o.entry.root, ctx, ignored);
      rule.check.why(o.entry.root, ctx, ignored);
      if (ignored.length) {
        evidence[NOT_DECIDING] = {
          inputs: [...new Set(ignored)],
          why: `these inputs could not be read, but the values that were read decide the verdict: it is ${o.status} whatever they are`,
        };
      }
    }
  } else {
    const g = o.gaps![0];
    resource = {
      id: `unlisted:${def.resourceType}:${g.account}:${g.region}`,
      type: def.resourceType,
      provider: g.coverage.provider,
      account: g.account,
      region: g.region,
      name: `${def.resourceType} in ${g.account}/${g.region} (could not be listed)`,
    };
    for (const gap of o.gaps!) reasons.push(`listing failed: ${gap.reason}`);
    evidence.listing = 'incomplete';
  }
  // A verdict that holds only on a condition the snapshot cannot check says so.
  const e = o.status !== 'UNKNOWN' ? o.entry : null;
  const caveats = e ? [...new Set((rule.caveatFacts ?? []).flatMap((f) => f.caveats!(e.r, ctx.index, factValue(e, f, ctx))))] : [];
  if (caveats.length) evidence.caveats = caveats;
  const unique = [...new Set(reasons)];
  const unknownEvidence = settleUnknownEvidence(evidence);
  const finding: Finding = {
    ruleId: def.id,
    ruleVersion: rule.version,
    title: def.title,
    status: o.status,
    severity: def.severity,
    resource,
    soc2: rule.mapping.soc2 ?? [],
    message: caveats.length ? `${message(rule, o, resource, unique).replace(/\.$/, '')} (${caveats.join('; ')}).` : message(rule, o, resource, unique),
    evidence,
    remediation: def.remediation.summary,
    fingerprint: fingerprint(def.id, resource),
  };
  if (rule.frameworks) finding.frameworks = rule.frameworks;
  if (unique.length) finding.unknownReasons = unique;
  if (unknownEvidence.length) finding.unknownEvidence = unknownEvidence;
  return finding;
}
