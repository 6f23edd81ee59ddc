/**
 * `npm run bench:iac`: two runs, each in a process of its own so that each has its own peak RSS.
 * 1. A Terraform plan of 10,000 resource instances (buckets with split configuration resources,
 *    IAM users with policy attachments, security groups with rules).
 * 2. A CloudFormation template (YAML, about 10 MB) of 60,000 buckets with bucket policies on one in
 *    ten: the size at which template reading used to collapse (377 s, 1.5 GB).
 * 3. The same kind of infrastructure as Terraform configuration: 1,000 .tf files, 10,000 resource
 *    instances, a local module called from every file, policy documents, variables and locals.
 * Each is read and evaluated against every built-in rule; times, throughput and peak RSS are printed.
 * `node dist/bench/iac-bench.js plan [N]`, `template [N]` or `config` runs one of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadIac } from '../iac/index';
import { evaluate } from '../engine/evaluate';
import { loadRulesOrThrow, resolveRuleDirs } from '../engine/rule-loader';
import { builtinFacts, builtinRegistry } from '../catalog';
import { initTerraformConfig } from '../iac/terraform-config/index';

const MODE = process.argv[2];
const TARGET = Number(process.argv[3] ?? (MODE === 'template' ? 60000 : 10000));

/** A YAML template of `n` buckets (short form, as people write them), a policy on every tenth. */
function generateTemplate(n: number): { text: string; count: number } {
  const parts = ["AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"];
  let count = 0;
  for (let i = 0; i < n; i++) {
    parts.push(`  Bucket${i}:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Sub 'acme-${i}-\${AWS::AccountId}'\n      VersioningConfiguration:\n        Status: Enabled\n`);
    count++;
    if (i % 10 === 0) {
      parts.push(
        `  Policy${i}:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref Bucket${i}\n      PolicyDocument:\n        Statement:\n          - { Effect: Deny, Principal: '*', Action: 's3:*', Resource: [!GetAtt Bucket${i}.Arn, !Sub '\${Bucket${i}.Arn}/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }\n`,
      );
      count++;
    }
  }
  return { text: parts.join(''), count };
}

function generatePlan(n: number): { text: string; count: number } {
  const changes: unknown[] = [];
  const config: unknown[] = [];
  const add = (type: string, name: string, index: number, after: Record<string, unknown>, unknown: Record<string, unknown>, refs: Record<string, string[]> = {}): void => {
    changes.push({ address: `${type}.${name}[${index}]`, mode: 'managed', type, name, index, change: { actions: ['create'], before: null, after, after_unknown: unknown } });
    if (index === 0) config.push({ address: `${type}.${name}`, mode: 'managed', type, name, provider_config_key: 'aws', expressions: Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, { references: v }])) });
  };
  // 10 instances per group: 4 bucket resources, 3 IAM resources, 3 security group resources.
  const groups = Math.ceil(n / 10);
  for (let i = 0; i < groups; i++) {
    add('aws_s3_bucket', 'b', i, { bucket: `bench-${i}`, tags: { 'data-classification': i % 3 === 0 ? 'confidential' : 'public' } }, { id: true, arn: true, versioning: true, logging: true });
    add('aws_s3_bucket_versioning', 'b', i, { versioning_configuration: [{ status: i % 2 ? 'Enabled' : 'Suspended' }] }, { bucket: true }, { bucket: ['aws_s3_bucket.b[count.index].id', 'aws_s3_bucket.b'] });
    add('aws_s3_bucket_public_access_block', 'b', i, { block_public_acls: true, ignore_public_acls: true, block_public_policy: i % 5 !== 0, restrict_public_buckets: true }, { bucket: true }, { bucket: ['aws_s3_bucket.b[count.index].id', 'aws_s3_bucket.b'] });
    add('aws_s3_bucket_policy', 'b', i, { bucket: `bench-${i}`, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: `arn:aws:s3:::bench-${i}/*`, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }) }, {});
    add('aws_iam_user', 'u', i, { name: `user-${i}`, path: '/' }, { arn: true, id: true, unique_id: true });
    add('aws_iam_user_policy_attachment', 'u', i, { user: `user-${i}`, policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, { id: true });
    add('aws_iam_access_key', 'u', i, { user: `user-${i}`, status: 'Active' }, { id: true, secret: true });
    add('aws_security_group', 's', i, { name: `sg-${i}`, description: 'bench', vpc_id: 'vpc-1', egress: [] }, { id: true, arn: true, ingress: true });
    add('aws_vpc_security_group_ingress_rule', 's', i, { ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0' }, { security_group_id: true }, { security_group_id: ['aws_security_group.s[count.index].id', 'aws_security_group.s'] });
    add('aws_vpc_security_group_ingress_rule', 'ssh', i, { ip_protocol: 'tcp', from_port: 22, to_port: 22, cidr_ipv4: '10.0.0.0/8' }, { security_group_id: true }, { security_group_id: ['aws_security_group.s[count.index].id', 'aws_security_group.s'] });
  }
  const plan = {
    format_version: '1.2',
    terraform_version: '1.9.5',
    resource_changes: changes,
    prior_state: { values: { root_module: { resources: [{ address: 'data.aws_caller_identity.c', mode: 'data', type: 'aws_caller_identity', name: 'c', values: { account_id: '123456789012' } }] } } },
    configuration: { provider_config: { aws: { name: 'aws', expressions: { region: { constant_value: 'us-east-1' } } } }, root_module: { resources: config } },
  };
  return { text: JSON.stringify(plan), count: changes.length };
}

/** 1,000 files; each: one module instance (bucket, versioning, public access block, policy) and six resources. */
function generateConfig(dir: string, files: number): void {
  mkdirSync(join(dir, 'modules', 'bucket'), { recursive: true });
  writeFileSync(
    join(dir, 'modules', 'bucket', 'main.tf'),
    `variable "name" { type = string }
variable "versioned" { type = bool }
resource "aws_s3_bucket" "this" {
  bucket = var.name
  tags   = { "data-classification" = var.versioned ? "confidential" : "public" }
}
resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id
  versioning_configuration { status = var.versioned ? "Enabled" : "Suspended" }
}
resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}
data "aws_iam_policy_document" "tls" {
  statement {
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = ["\${aws_s3_bucket.this.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}
resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.tls.json
}
output "arn" { value = aws_s3_bucket.this.arn }
`,
  );
  writeFileSync(join(dir, 'providers.tf'), 'provider "aws" {\n  region = var.region\n}\nvariable "region" { default = "us-east-1" }\nlocals { prefix = "bench" }\n');
  for (let i = 0; i < files; i++) {
    writeFileSync(
      join(dir, `f${String(i).padStart(4, '0')}.tf`),
      `module "b${i}" {
  source    = "./modules/bucket"
  name      = "\${local.prefix}-\${${i}}"
  versioned = ${i % 2 === 0}
}
resource "aws_iam_user" "u${i}" {
  name = "user-${i}"
}
resource "aws_iam_user_policy_attachment" "u${i}" {
  user       = aws_iam_user.u${i}.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
resource "aws_iam_access_key" "u${i}" {
  user = aws_iam_user.u${i}.name
}
resource "aws_security_group" "s${i}" {
  name   = "sg-${i}"
  vpc_id = "vpc-1"
}
resource "aws_vpc_security_group_ingress_rule" "s${i}" {
  for_each          = { https = 443, ssh = 22 }
  security_group_id = aws_security_group.s${i}.id
  ip_protocol       = "tcp"
  from_port         = each.value
  to_port           = each.value
  cidr_ipv4         = each.key == "ssh" ? "10.0.0.0/8" : "0.0.0.0/0"
}
`,
    );
  }
}

async function configBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-bench-tf-'));
  try {
    generateConfig(dir, 1000);
    const registry = builtinRegistry();
    const rules = loadRulesOrThrow(resolveRuleDirs(undefined), registry, builtinFacts());
    global.gc?.();
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await initTerraformConfig();
    const { snapshot, files } = loadIac([dir], registry, { cwd: dir, account: '123456789012' });
    const t1 = process.hrtime.bigint();
    const { results, stats } = evaluate(snapshot, rules, registry);
    const t2 = process.hrtime.bigint();
    const ms = (a: bigint, b: bigint): number => Number(b - a) / 1e6;
    const lines = [
      `configuration: 1001 .tf files + 1 module (${files.length} root module) → ${snapshot.resources.length} resources`,
      `rules: ${rules.length}, evaluations: ${stats.evaluations}, findings: ${results.summary.findings} (FAIL ${results.summary.byStatus.FAIL}, UNKNOWN ${results.summary.byStatus.UNKNOWN})`,
      `parse + evaluate + map + validate: ${ms(t0, t1).toFixed(0)} ms`,
      `rules: ${ms(t1, t2).toFixed(0)} ms`,
      `total: ${ms(t0, t2).toFixed(0)} ms (CPU ${((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000).toFixed(0)} ms: the wall time on a busy machine)`,
      `peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    ];
    for (const l of lines) console.log(l);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(mode: 'plan' | 'template'): void {
  const dir = mkdtempSync(join(tmpdir(), 'trustscan-bench-iac-'));
  try {
    const { text, count } = mode === 'plan' ? generatePlan(TARGET) : generateTemplate(TARGET);
    const file = join(dir, mode === 'plan' ? 'plan.json' : 'template.yaml');
    writeFileSync(file, text);
    const registry = builtinRegistry();
    const rules = loadRulesOrThrow(resolveRuleDirs(undefined), registry, builtinFacts());
    global.gc?.();
    const t0 = process.hrtime.bigint();
    const { snapshot } = loadIac([file], registry, { cwd: dir, ...(mode === 'template' ? { account: '123456789012', region: 'us-east-1' } : {}) });
    const t1 = process.hrtime.bigint();
    const { results, stats } = evaluate(snapshot, rules, registry);
    const t2 = process.hrtime.bigint();
    const ms = (a: bigint, b: bigint): number => Number(b - a) / 1e6;
    const total = ms(t0, t2);
    const lines = [
      `${mode === 'plan' ? 'plan' : 'template'}: ${count} resource ${mode === 'plan' ? 'instances' : 'declarations'}, ${(text.length / 1048576).toFixed(1)} MiB → ${snapshot.resources.length} resources`,
      `rules: ${rules.length}, evaluations: ${stats.evaluations}, findings: ${results.summary.findings} (FAIL ${results.summary.byStatus.FAIL}, UNKNOWN ${results.summary.byStatus.UNKNOWN})`,
      `read + map + validate: ${ms(t0, t1).toFixed(0)} ms`,
      `evaluate: ${ms(t1, t2).toFixed(0)} ms`,
      `total: ${total.toFixed(0)} ms (${Math.round(count / (total / 1000))} ${mode === 'plan' ? 'plan instances' : 'template resources'}/s)`,
      `peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
    ];
    for (const l of lines) console.log(l);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (MODE === 'plan' || MODE === 'template') run(MODE);
else if (MODE === 'config') void configBench();
else {
  for (const mode of ['plan', 'template', 'config']) {
    if (mode === 'config') console.log('--- Terraform configuration');
    const r = spawnSync(process.execPath, [...process.execArgv, __filename, mode], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
