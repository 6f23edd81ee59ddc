/**
 * The IAM credential report: CSV, a header row, then `<root_account>` and one row per user.
 *
 * Cell values besides dates and booleans (AWS documents them for GetCredentialReport):
 * - `N/A`: not applicable — no password, no access key in that slot, a key never used;
 * - `not_supported`: the field does not exist for this row (the root user's password_enabled);
 * - `no_information`: never used since IAM started tracking (October 2014) — for a date, null.
 * All three read as null dates here; whether a credential exists is told by its own column
 * (`password_enabled`, `access_key_N_last_rotated`), never by a last-used value.
 */

export interface ReportKey {
  slot: number;
  active: boolean;
  lastRotated: string | null;
  lastUsedDate: string | null;
  lastUsedService: string | null;
}

export interface ReportRow {
  user: string;
  arn: string;
  /** null where `not_supported` (the root row). */
  passwordEnabled: boolean | null;
  passwordLastUsed: string | null;
  passwordLastChanged: string | null;
  mfaActive: boolean;
  accessKeys: ReportKey[];
  signingCertificatesActive: boolean;
}

export class CredentialReportError extends Error {}

/** RFC 4180 CSV: quoted cells may hold commas, quotes (doubled) and newlines. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (quoted) throw new CredentialReportError('unterminated quoted cell');
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

const SPECIAL = new Set(['N/A', 'not_supported', 'no_information', '']);

/** A date cell as ISO 8601 UTC, or null for the special values. */
export function reportDate(v: string | undefined): string | null {
  if (v === undefined || SPECIAL.has(v)) return null;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new CredentialReportError(`unexpected date '${v}'`);
  return new Date(t).toISOString().replace('.000Z', 'Z');
}

function reportBool(v: string | undefined, column: string): boolean | null {
  if (v === 'true' || v === 'TRUE') return true;
  if (v === 'false' || v === 'FALSE') return false;
  if (v === undefined || SPECIAL.has(v)) return null;
  throw new CredentialReportError(`unexpected value '${v}' in column ${column}`);
}

function reportText(v: string | undefined): string | null {
  return v === undefined || SPECIAL.has(v) ? null : v;
}

/** Every column read: without one, each of its cells would read as "no such credential". */
const REQUIRED = [
  'user', 'arn', 'password_enabled', 'password_last_used', 'password_last_changed', 'mfa_active',
  ...[1, 2].flatMap((n) => [`access_key_${n}_active`, `access_key_${n}_last_rotated`, `access_key_${n}_last_used_date`, `access_key_${n}_last_used_service`]),
  'cert_1_active', 'cert_2_active',
];

/** Parses the report; throws CredentialReportError when it is not one. */
export function parseCredentialReport(csv: string): ReportRow[] {
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw new CredentialReportError('empty report');
  const col = new Map(header.map((h, i) => [h.trim(), i]));
  for (const c of REQUIRED) if (!col.has(c)) throw new CredentialReportError(`column '${c}' missing`);
  return rows.map((cells, i) => {
    // A short (cut) row would read its missing cells as "no key", "no MFA".
    if (cells.length !== header.length) throw new CredentialReportError(`row ${i + 2} has ${cells.length} cells, the header ${header.length}`);
    const get = (c: string): string | undefined => {
      const i = col.get(c);
      return i === undefined ? undefined : cells[i];
    };
    const accessKeys: ReportKey[] = [];
    for (const slot of [1, 2]) {
      const lastRotated = reportDate(get(`access_key_${slot}_last_rotated`));
      const active = reportBool(get(`access_key_${slot}_active`), `access_key_${slot}_active`) === true;
      // A key exists in the slot when it has a rotation date (inactive keys keep theirs).
      if (lastRotated === null && !active) continue;
      accessKeys.push({
        slot,
        active,
        lastRotated,
        lastUsedDate: reportDate(get(`access_key_${slot}_last_used_date`)),
        lastUsedService: reportText(get(`access_key_${slot}_last_used_service`)),
      });
    }
    return {
      user: get('user') ?? '',
      arn: get('arn') ?? '',
      passwordEnabled: reportBool(get('password_enabled'), 'password_enabled'),
      passwordLastUsed: reportDate(get('password_last_used')),
      passwordLastChanged: reportDate(get('password_last_changed')),
      mfaActive: reportBool(get('mfa_active'), 'mfa_active') === true,
      accessKeys,
      signingCertificatesActive: reportBool(get('cert_1_active'), 'cert_1_active') === true || reportBool(get('cert_2_active'), 'cert_2_active') === true,
    };
  });
}

/** What the scan knows of a report's age. */
export interface ReportAge {
  /** When IAM generated the report (ISO 8601), null when it did not say. */
  generatedAt: string | null;
  /** Keys (and credentials) created after the report are not in it: true when none can be missing. */
  complete: boolean;
  /** When not complete: why, with the report's age, for the unknown reasons. */
  reason: string | null;
}

/**
 * A report IAM generated for this scan (GenerateCredentialReport answered STARTED first) holds
 * every credential that existed when the scan read IAM. One IAM handed back at once (it reuses a
 * report younger than 4 hours) misses the keys created since it was generated: say how old it is.
 */
export function reportAge(generatedTime: Date | undefined, generatedForThisScan: boolean, now: Date): ReportAge {
  const generatedAt = generatedTime && !Number.isNaN(generatedTime.getTime()) ? generatedTime.toISOString().replace('.000Z', 'Z') : null;
  if (generatedForThisScan) return { generatedAt, complete: true, reason: null };
  const age = generatedTime ? Math.max(0, now.getTime() - generatedTime.getTime()) : null;
  const ageText = age === null ? 'of unknown age' : age < 90 * 60_000 ? `${Math.round(age / 60_000)} minutes old` : `${(age / 3_600_000).toFixed(1)} hours old`;
  return {
    generatedAt,
    complete: false,
    reason: `IAM reused a credential report generated ${generatedAt ?? 'at an unknown time'} (${ageText} when this scan read it): access keys created since are not in it`,
  };
}
