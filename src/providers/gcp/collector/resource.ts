
/** A proto timestamp ({seconds, nanos}), an RFC 3339 string, or nothing → ISO 8601 without zero milliseconds. */
export function iso(t: unknown): string | null {
  if (t === null || t === undefined || t === '') return null;
  let d: Date;
  if (typeof t === 'string') d = new Date(t);
  else if (typeof t === 'object' && 'seconds' in (t as object)) {
    const s = Number((t as { seconds: unknown }).seconds);
    if (!Number.isFinite(s) || s === 0) return null;
    d = new Date(s * 1000);
  } else return null;
  if (Number.isNaN(d.getTime())) return null;
  return d.toISOString().replace('.000Z', 'Z');
}

/** Seconds from a proto Duration ({seconds}) or a string such as "7776000s". */
export function seconds(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'object' && 'seconds' in (v as object)) {
    const s = Number((v as { seconds: unknown }).seconds);
    return Number.isFinite(s) && s > 0 ? s : null;
  }
  const n = Number(String(v).replace(/s$/, ''));
  return Number.isFinite(n) && n > 0 ? n : null;
}

interface RawBinding {
  role?: string | null;
  members?: (string | null)[] | null;
  condition?: { title?: string | null; expression?: string | null; description?: string | null } | null;
}
interface RawPolicy {
  version?: number | null;
  bindings?: RawBinding[] | null;
  auditConfigs?: { service?: string | null; auditLogConfigs?: { logType?: unknown; exemptedMembers?: (string | null)[] | null }[] | null }[] | null;
}

const LOG_TYPES = ['LOG_TYPE_UNSPECIFIED', 'ADMIN_READ', 'DATA_WRITE', 'DATA_READ'];

/** An IAM policy as the snapshot holds it; undefined when a binding lacks its role (the policy is then unknown). */
export function policyOf(p: RawPolicy | null | undefined, withAudit: boolean): Record<string, unknown> | undefined {
  const bindings = [];
  for (const b of p?.bindings ?? []) {
    if (!b?.role) return undefined;
    const c = b.condition && (b.condition.expression || b.condition.title) ? b.condition : null;
    bindings.push({
      role: b.role,
      members: (b.members ?? []).filter((m): m is string => typeof m === 'string'),
      condition: c ? { title: c.title ?? '', expression: c.expression ?? '', ...(c.description ? { description: c.description } : {}) } : null,
    });
  }
  const out: Record<string, unknown> = { version: Number(p?.version ?? 1) || 1, bindings };
  if (withAudit) {
    out.auditConfigs = (p?.auditConfigs ?? []).map((a) => ({
      service: a.service ?? '',
      auditLogConfigs: (a.auditLogConfigs ?? [])
        .map((l) => ({ logType: typeof l.logType === 'number' ? LOG_TYPES[l.logType] : String(l.logType ?? ''), exemptedMembers: (l.exemptedMembers ?? []).filter((m): m is string => typeof m === 'string') }))
        .filter((l) => l.logType !== 'LOG_TYPE_UNSPECIFIED' && LOG_TYPES.includes(l.logType)),
    }));
  }
  return out;
}

/** For a policy call's `check`: the clients answer `[policy, …]`; a binding without its role makes it unusable. */
export function policyCheck(value: unknown): string | undefined {
  const p = Array.isArray(value) ? (value[0] as RawPolicy | null | undefined) : (value as RawPolicy | null | undefined);
  return policyOf(p, false) === undefined ? 'a binding of the IAM policy lacks its role: the policy cannot be read' : undefined;
}

/** Labels as tags (Google Cloud's key/value metadata). */
export function labelsOf(labels: Record<string, string> | null | undefined): Record<string, string> | undefined {
  if (!labels || Object.keys(labels).length === 0) return undefined;
  return { ...labels };
}

/**
 * A google.protobuf.BoolValue as the gax clients hand it over (`{value: true}`; Cloud SQL uses
 * them for most switches), or a plain boolean. Absent means false, as the API's own default;
 * anything else is a malformed answer: undefined, and the caller marks the path unknown.
 */
export function boolValue(v: unknown): boolean | undefined {
  if (v === null || v === undefined) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'object' && !Array.isArray(v)) {
    const inner = (v as { value?: unknown }).value;
    if (inner === undefined || inner === null) return false;
    if (typeof inner === 'boolean') return inner;
  }
  return undefined;
}
