import { Unresolved, PartialJson } from '../../../src/iac/values';
import { TfUnknown } from '../../../src/iac/terraform-config/values';
import { evaluate, initTerraformConfig } from './helpers';

beforeAll(() => initTerraformConfig());

const reason = (v: unknown): string => (v instanceof Unresolved ? v.reason : `known: ${JSON.stringify(v)}`);

describe('Terraform language: values', () => {
  it('evaluates variables (defaults, types, tfvars, TF_VAR_, --var precedence), locals and templates', () => {
    const { after } = evaluate(
      {
        'main.tf': `
variable "env" { default = "dev" }
variable "port" { type = number }
variable "tags" { type = map(string) }
variable "from_env" {}
variable "cfg" {
  type = object({ name = string, replicas = optional(number, 2), extra = optional(list(string)) })
}
locals {
  prefix = "\${var.env}-app"
  heredoc = <<-EOT
    name: \${local.prefix}
      indented
    EOT
  escaped = "literal $\${x} and %%{y} \\"q\\""
}
resource "aws_s3_bucket" "b" {
  bucket = local.prefix
  tags   = merge(var.tags, { Port = var.port + 1 })
  note   = local.heredoc
  esc    = local.escaped
  env    = var.from_env
  cfg    = var.cfg
}`,
        'terraform.tfvars': 'env = "prod"\ntags = { Team = "a" }\nport = "8080"\ncfg = { name = "x" }\n',
        'z.auto.tfvars': 'env = "stage"\n',
      },
      { vars: ['env=cli'], env: { TF_VAR_from_env: 'e', TF_VAR_env: 'ignored' } },
    );
    const b = after['aws_s3_bucket.b'];
    expect(b.bucket).toBe('cli-app');
    expect(b.tags).toEqual({ Team: 'a', Port: 8081 });
    expect(b.note).toBe('name: cli-app\n  indented\n');
    expect(b.esc).toBe('literal ${x} and %{y} "q"');
    expect(b.env).toBe('e');
    expect(b.cfg).toEqual({ name: 'x', replicas: 2, extra: null });
  });

  it('leaves a variable without value unknown, and never reads a sensitive one', () => {
    const { after, result } = evaluate({
      'main.tf': `
variable "name" {}
variable "secret" {
  sensitive = true
  default   = "hunter2"
}
resource "aws_s3_bucket" "b" {
  bucket = var.name
  other  = var.secret
}`,
    });
    expect(reason(after['aws_s3_bucket.b'].bucket)).toMatch(/var.name has no value: pass --var name=/);
    expect(reason(after['aws_s3_bucket.b'].other)).toMatch(/sensitive/);
    expect(JSON.stringify(result.plan)).not.toContain('hunter2');
    expect(result.gaps.map((g) => g.valueKind)).toEqual(expect.arrayContaining(['unset-variable', 'sensitive']));
  });

  it('expands count and for_each, and resolves references between instances', () => {
    const { after } = evaluate({
      'main.tf': `
locals { names = ["a", "b"] }
resource "aws_s3_bucket" "b" {
  count  = length(local.names)
  bucket = "bkt-\${local.names[count.index]}-\${count.index}"
}
resource "aws_s3_bucket_versioning" "v" {
  for_each = { for i, b in aws_s3_bucket.b : b.bucket => i }
  bucket   = each.key
  idx      = each.value
  arns     = aws_s3_bucket.b[*].bucket
}`,
    });
    expect(after['aws_s3_bucket.b[0]'].bucket).toBe('bkt-a-0');
    expect(after['aws_s3_bucket.b[1]'].bucket).toBe('bkt-b-1');
    expect(after['aws_s3_bucket_versioning.v["bkt-b-1"]'].idx).toBe(1);
    expect(after['aws_s3_bucket_versioning.v["bkt-a-0"]'].arns).toEqual(['bkt-a-0', 'bkt-b-1']);
  });

  it('gives an unknown for_each one stand-in instance [*], not zero instances', () => {
    const { after, result } = evaluate({
      'main.tf': `
resource "aws_s3_bucket" "src" { bucket = "src" }
resource "aws_s3_bucket" "b" {
  for_each = toset([aws_s3_bucket.src.id])
  bucket   = "copy-\${each.key}"
  acl      = "private"
}
resource "aws_s3_bucket" "c" {
  count  = length(aws_s3_bucket.src.arn)
  bucket = "c"
}`,
    });
    expect(Object.keys(after)).toEqual(expect.arrayContaining(['aws_s3_bucket.b[*]', 'aws_s3_bucket.c[*]']));
    expect(after['aws_s3_bucket.b[*]'].acl).toBe('private');
    expect(reason(after['aws_s3_bucket.b[*]'].bucket)).toMatch(/for_each is unknown/);
    expect(result.gaps.filter((g) => g.kind === 'unknown-instances').map((g) => g.address)).toEqual(['aws_s3_bucket.b', 'aws_s3_bucket.c']);
  });

  it('expands dynamic blocks, for expressions, splats, conditionals and functions', () => {
    const { after } = evaluate({
      'main.tf': `
variable "rules" {
  default = [{ port = 22, cidr = "10.0.0.0/8" }, { port = 443, cidr = "0.0.0.0/0" }]
}
locals {
  ports   = [for r in var.rules : r.port if r.port != 22]
  by_port = { for r in var.rules : tostring(r.port) => r.cidr }
  grouped = { for r in var.rules : (r.port > 100 ? "high" : "low") => r.port... }
  doc     = jsondecode(jsonencode({ b = [1, 2], a = "x" }))
  subnet  = cidrsubnet("10.0.0.0/16", 8, 2)
  joined  = join(",", concat(["a"], split("-", "b-c")))
  looked  = lookup(local.by_port, "443", "none")
  first   = try(local.missing_key.x, "fallback")
  maybe   = can(regex("^a", "abc"))
  fmt     = format("%s-%03d", "n", 7)
  flat    = flatten([[1], [2, [3]]])
  co      = coalesce("", null, "c")
  tpl     = "%{ for p in local.ports ~}\${p};%{ endfor ~}"
}
resource "aws_security_group" "sg" {
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      cidr_blocks = [rule.value.cidr]
    }
  }
  x = [local.ports, local.by_port, local.grouped, local.doc, local.subnet, local.joined, local.looked, local.maybe, local.fmt, local.flat, local.co, local.tpl]
}`,
    });
    const sg = after['aws_security_group.sg'];
    expect(sg.ingress).toEqual([
      { from_port: 22, cidr_blocks: ['10.0.0.0/8'] },
      { from_port: 443, cidr_blocks: ['0.0.0.0/0'] },
    ]);
    expect(sg.x).toEqual([[443], { '22': '10.0.0.0/8', '443': '0.0.0.0/0' }, { low: [22], high: [443] }, { a: 'x', b: [1, 2] }, '10.0.2.0/24', 'a,b,c', '0.0.0.0/0', true, 'n-007', [1, 2, 3], 'c', '443;']);
  });

  it('reports a reference to something undeclared, located', () => {
    const { result } = evaluate({ 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = local.nope\n}\n' });
    expect(result.problems).toEqual([expect.objectContaining({ line: 2, column: 12, message: 'reference to undeclared local value local.nope' })]);
  });

  it('reports a cycle between locals with its chain, and terminates', () => {
    const { result } = evaluate({ 'main.tf': 'locals {\n  a = local.b\n  b = "${local.a}-x"\n}\nresource "aws_s3_bucket" "b" { bucket = local.a }\n' });
    expect(result.problems.map((p) => p.message)).toEqual(['cycle: local.a → local.b → local.a']);
    expect(result.problems[0]).toMatchObject({ line: 2 });
  });

  it('reads modules from local paths, with their inputs and outputs, recursively', () => {
    const { after } = evaluate({
      'main.tf': `
module "web" {
  source = "./modules/site"
  name   = "shop"
}
resource "aws_s3_bucket_policy" "p" {
  bucket = module.web.bucket_name
}`,
      'modules/site/main.tf': `
variable "name" {}
module "logs" {
  source = "../logs"
  name   = "\${var.name}-logs"
}
resource "aws_s3_bucket" "site" { bucket = var.name }
output "bucket_name" { value = aws_s3_bucket.site.bucket }
output "log_bucket" { value = module.logs.name }`,
      'modules/logs/main.tf': `
variable "name" {}
resource "aws_s3_bucket" "logs" { bucket = var.name }
output "name" { value = aws_s3_bucket.logs.bucket }`,
    });
    expect(after['module.web.aws_s3_bucket.site'].bucket).toBe('shop');
    expect(after['module.web.module.logs.aws_s3_bucket.logs'].bucket).toBe('shop-logs');
    expect(after['aws_s3_bucket_policy.p'].bucket).toBe('shop');
  });

  it('reads fetched registry modules from .terraform/modules, and reports the others as not on disk', () => {
    const { after, result } = evaluate({
      'main.tf': `
module "fetched" {
  source = "terraform-aws-modules/s3-bucket/aws"
  name   = "f"
}
module "remote" {
  source = "git::https://example.invalid/mod.git"
}
resource "aws_s3_bucket" "b" { bucket = module.remote.name }`,
      '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Dir: '.' }, { Key: 'fetched', Source: 'registry', Dir: '.terraform/modules/fetched' }] }),
      '.terraform/modules/fetched/main.tf': 'variable "name" {}\nresource "aws_s3_bucket" "x" { bucket = var.name }\n',
    });
    expect(after['module.fetched.aws_s3_bucket.x'].bucket).toBe('f');
    expect(reason(after['aws_s3_bucket.b'].bucket)).toMatch(/module.remote \(source "git::https:\/\/example.invalid\/mod.git"\) is not on disk/);
    expect(result.gaps.filter((g) => g.kind === 'module-not-on-disk').map((g) => g.address)).toEqual(['module.remote']);
  });

  it('evaluates aws_iam_policy_document, keeping unknown ARNs as unknown leaves of a known structure', () => {
    const { after } = evaluate({
      'main.tf': `
resource "aws_s3_bucket" "b" { bucket_prefix = "x" }
data "aws_iam_policy_document" "p" {
  source_policy_documents = [jsonencode({ Statement = [{ Sid = "Old", Effect = "Deny", Action = "*", Resource = "*" }] })]
  statement {
    sid       = "Public"
    actions   = ["s3:GetObject"]
    resources = ["\${aws_s3_bucket.b.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["true"]
    }
  }
}
resource "aws_s3_bucket_policy" "p" {
  bucket = aws_s3_bucket.b.id
  policy = data.aws_iam_policy_document.p.json
}`,
    });
    const pol = after['aws_s3_bucket_policy.p'].policy;
    expect(pol).toBeInstanceOf(PartialJson);
    expect((pol as PartialJson).value).toMatchObject({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Old', Effect: 'Deny', Action: '*', Resource: '*' },
        { Sid: 'Public', Effect: 'Allow', Action: 's3:GetObject', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      ],
    });
    const resource = ((pol as PartialJson).value as { Statement: { Resource: unknown }[] }).Statement[1].Resource;
    expect(resource).toBeInstanceOf(TfUnknown);
    expect((resource as Unresolved).refs).toEqual(['data.aws_iam_policy_document.p.json', 'data.aws_iam_policy_document.p']);
  });

  it('reads files inside the configuration only', () => {
    const { after } = evaluate({
      'main.tf': `
resource "aws_iam_policy" "in" { policy = file("\${path.module}/policy.json") }
resource "aws_iam_policy" "out" { policy = file("/etc/passwd") }
resource "aws_iam_policy" "tpl" { policy = templatefile("p.tftpl", { action = "s3:*" }) }`,
      'policy.json': '{"Statement": []}',
      'p.tftpl': '{"Action": "${action}"}',
    });
    expect(after['aws_iam_policy.in'].policy).toBe('{"Statement": []}');
    expect(reason(after['aws_iam_policy.out'].policy)).toMatch(/outside the configuration's folder/);
    expect(after['aws_iam_policy.tpl'].policy).toBe('{"Action": "s3:*"}');
  });

  it('reads the JSON syntax (.tf.json) like the native one, with lines', () => {
    const { after, result } = evaluate({
      'main.tf.json': JSON.stringify(
        {
          variable: { name: { default: 'j' } },
          resource: { aws_s3_bucket: { b: { bucket: '${var.name}-bucket', count: 1 } } },
        },
        null,
        2,
      ),
    });
    expect(after['aws_s3_bucket.b[0]'].bucket).toBe('j-bucket');
    expect(result.locations.get('aws_s3_bucket.b[0]')).toMatchObject({ file: 'main.tf.json', line: 9 });
  });

  it('locates syntax errors at line and column', () => {
    const { result } = evaluate({ 'ok.tf': 'locals { a = 1 }\n', 'bad.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = \n}\n\nresource "x" {\n' });
    expect(result.problems).toEqual([{ file: 'bad.tf', line: 2, column: 11, message: "syntax error: expected a value after '='" }]);
    const open = evaluate({ 'main.tf': 'locals {\n  a = [1,\n' }).result;
    expect(open.problems).toEqual([{ file: 'main.tf', line: 2, column: 7, message: "syntax error: '[' is never closed" }]);
  });
});
