#!/usr/bin/env node
/**
 * Rebuilds data/aws/managed-policies.json: the default-version document of every AWS-managed IAM
 * policy, so that infrastructure code attaching one (`arn:aws:iam::aws:policy/ReadOnlyAccess`) is
 * judged on what it grants. Two ways:
 *
 *   node scripts/aws-managed-policies.mjs --from-iam [--region us-east-1]
 *       reads them with your AWS credentials (the SDK's default chain): IAM ListPolicies
 *       (Scope AWS) and GetPolicyVersion of each default version. Read-only; about 1,500 calls.
 *
 *   node scripts/aws-managed-policies.mjs --from-files DIR [--list policies-list.json] --source TEXT --date YYYY-MM-DD
 *       builds it from a folder of public copies, one JSON file per policy, either
 *       `{arn, version, document}` or `{PolicyVersion: {VersionId, Document}}` (then the ARN comes
 *       from the `--list` file, a ListPolicies answer). A later folder wins over an earlier one.
 *
 * Policies are keyed by path and name (`/service-role/AWSLambdaBasicExecutionRole`): AWS-managed
 * policies have the same name and document in every partition.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TARGET = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'aws', 'managed-policies.json');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const all = (name) => args.flatMap((a, i) => (a === name ? [args[i + 1]] : []));

/** `arn:aws:iam::aws:policy/service-role/X` → `/service-role/X`. */
const keyOf = (arn) => arn.replace(/^arn:[^:]+:iam::aws:policy/, '');

function write(policies, source, date) {
  const sorted = Object.fromEntries(Object.keys(policies).sort().map((k) => [k, policies[k]]));
  const out = {
    description: 'Default-version documents of AWS-managed IAM policies, keyed by path and name (arn:<partition>:iam::aws:policy<key>).',
    source,
    date,
    refresh: 'node scripts/aws-managed-policies.mjs --from-iam',
    count: Object.keys(sorted).length,
    policies: sorted,
  };
  const text = `${JSON.stringify(out)}\n`;
  writeFileSync(TARGET, text);
  process.stdout.write(`${out.count} policies, ${(text.length / 1048576).toFixed(2)} MiB → ${TARGET}\n`);
}

async function fromIam() {
  const { IAMClient, ListPoliciesCommand, GetPolicyVersionCommand } = await import('@aws-sdk/client-iam');
  const client = new IAMClient({ region: opt('--region') ?? 'us-east-1' });
  const policies = {};
  let marker;
  do {
    const page = await client.send(new ListPoliciesCommand({ Scope: 'AWS', Marker: marker, MaxItems: 1000 }));
    for (const p of page.Policies ?? []) {
      const v = await client.send(new GetPolicyVersionCommand({ PolicyArn: p.Arn, VersionId: p.DefaultVersionId }));
      policies[keyOf(p.Arn)] = { version: p.DefaultVersionId, document: JSON.parse(decodeURIComponent(v.PolicyVersion.Document)) };
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  client.destroy();
  write(policies, 'IAM ListPolicies (Scope AWS) and GetPolicyVersion', new Date().toISOString().slice(0, 10));
}

function fromFiles() {
  const source = opt('--source');
  const date = opt('--date');
  if (!source || !date) throw new Error('--from-files needs --source TEXT and --date YYYY-MM-DD');
  const arns = new Map();
  for (const list of all('--list')) for (const p of JSON.parse(readFileSync(list, 'utf8')).Policies) arns.set(p.PolicyName, p.Arn);
  const policies = {};
  const skipped = [];
  for (const dir of all('--from-files')) {
    for (const f of readdirSync(dir).sort()) {
      const doc = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const name = f.replace(/\.json$/, '');
      if (doc.document) {
        // Some copies leave out the ARN (deprecated policies): the --list file may still have it.
        const arn = typeof doc.arn === 'string' ? doc.arn : arns.get(name);
        if (arn) policies[keyOf(arn)] = { version: doc.version, document: doc.document };
        else skipped.push(f);
      } else if (doc.PolicyVersion) {
        const arn = arns.get(name);
        if (!arn) throw new Error(`${f}: no ARN for ${name} in the --list file`);
        policies[keyOf(arn)] = { version: doc.PolicyVersion.VersionId, document: doc.PolicyVersion.Document };
      } else throw new Error(`${f}: neither {arn, version, document} nor {PolicyVersion}`);
    }
  }
  if (skipped.length) process.stdout.write(`skipped ${skipped.length} files without an ARN (deprecated policies): ${skipped.join(', ')}\n`);
  write(policies, source, date);
}

if (args.includes('--from-iam')) await fromIam();
else if (args.includes('--from-files')) fromFiles();
else {
  process.stderr.write('usage: node scripts/aws-managed-policies.mjs --from-iam | --from-files DIR… [--list FILE] --source TEXT --date YYYY-MM-DD\n');
  process.exit(2);
}
