import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../core/version';

/**
 * The pinned catalogue of AWS-managed IAM policies (data/aws/managed-policies.json: the default
 * version's document of each, its source and date in the file; refreshed with
 * `node scripts/aws-managed-policies.mjs --from-iam`). Infrastructure code attaches them by ARN
 * and has no document for them: with the catalogue, a role holding ReadOnlyAccess is judged on
 * what ReadOnlyAccess grants instead of being UNKNOWN. Read once, on first use.
 */
export interface ManagedPolicyEntry {
  /** Path and name, e.g. `/service-role/AWSLambdaBasicExecutionRole`. */
  key: string;
  name: string;
  path: string;
  version: string;
  document: Record<string, unknown>;
}

export interface ManagedPolicyCatalogue {
  source: string;
  date: string;
  /** By ARN (any partition). */
  byArn(arn: string): ManagedPolicyEntry | undefined;
  /** By policy name, as SAM's `Policies: [AWSLambdaExecute]` names them. */
  byName(name: string): ManagedPolicyEntry | undefined;
}

const AWS_POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-eusc):iam::aws:policy(\/.*)$/;

/** True for an AWS-managed policy ARN (`arn:<partition>:iam::aws:policy/…`). */
export function isAwsManagedArn(arn: string): boolean {
  return AWS_POLICY_ARN.test(arn);
}

let cached: ManagedPolicyCatalogue | undefined;

export function managedPolicies(): ManagedPolicyCatalogue {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'data', 'aws', 'managed-policies.json'), 'utf8')) as {
    source: string;
    date: string;
    policies: Record<string, { version: string; document: Record<string, unknown> }>;
  };
  const byKey = new Map<string, ManagedPolicyEntry>();
  const byName = new Map<string, ManagedPolicyEntry>();
  for (const [key, p] of Object.entries(raw.policies)) {
    const slash = key.lastIndexOf('/');
    const e: ManagedPolicyEntry = { key, name: key.slice(slash + 1), path: key.slice(0, slash + 1), version: p.version, document: p.document };
    byKey.set(key, e);
    byName.set(e.name, e);
  }
  cached = {
    source: raw.source,
    date: raw.date,
    byArn: (arn) => {
      const m = AWS_POLICY_ARN.exec(arn);
      return m ? byKey.get(m[2]) : undefined;
    },
    byName: (name) => byName.get(name),
  };
  return cached;
}
