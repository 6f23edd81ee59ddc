import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Resource, Results, Snapshot } from '../../src/core/types';
import { evaluate } from '../../src/engine/evaluate';
import { loadRulesOrThrow, resolveRuleDirs } from '../../src/engine/rule-loader';
import { type SuppressionEntry, Suppressor } from '../../src/suppress/suppressions';
import { DEMO, ROOT } from '../helpers';
import { builtinFacts, builtinRegistry } from '../../src/catalog';

export const SCHEMAS = join(ROOT, 'test', 'fixtures', 'schemas');

/** The demo organisation plus one bucket declared in Terraform (with a hostile name), as a snapshot. */
export function demoSnapshot(): Snapshot {
  const snap = JSON.parse(readFileSync(DEMO, 'utf8')) as Snapshot;
  const bucket = snap.resources.find((r) => r.name === 'acme-prod-public-assets')!;
  const iac: Resource = {
    ...structuredClone(bucket),
    id: 'aws_s3_bucket.assets',
    name: 'assets </script><script>alert(1)</script> | =cmd',
    source: { kind: 'terraform', file: 'infra/main.tf', line: 12, address: 'aws_s3_bucket.assets' },
  };
  delete iac.unknown;
  snap.resources.push(iac);
  return snap;
}

/** Built-in rules, compiled once per test file. */
let rules: ReturnType<typeof loadRulesOrThrow> | undefined;
export function builtinRules(): ReturnType<typeof loadRulesOrThrow> {
  rules ??= loadRulesOrThrow(resolveRuleDirs(undefined), builtinRegistry(), builtinFacts());
  return rules;
}

export const WAIVER: SuppressionEntry = {
  rule: 'aws-s3-bucket-versioning',
  resource: 'arn:aws:s3:::acme-prod-backups',
  reason: 'Backups are immutable copies; versioning adds cost without benefit',
  expires: '2099-12-31',
  owner: 'platform-team',
  ticket: 'SEC-42',
  source: 'trustscan.yaml:3',
};

/** Results of the demo snapshot (plus the IaC bucket), with one waiver applied. */
export function demoResults(entries: SuppressionEntry[] = [WAIVER], snap: Snapshot = demoSnapshot()): Results {
  const now = new Date(snap.metadata.startedAt);
  const s = new Suppressor(entries, now);
  return evaluate(snap, builtinRules(), builtinRegistry(), { now, decorate: s.apply, suppressionReport: () => s.report() }).results;
}
