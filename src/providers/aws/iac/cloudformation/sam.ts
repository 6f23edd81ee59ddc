import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../../../../core/errors';
import { PACKAGE_ROOT } from '../../../../core/version';
import { isUnresolved, Unresolved } from '../../../../iac/values';
import { managedPolicies } from '../../managed-policies';

/**
 * The AWS SAM transform (`Transform: AWS::Serverless-2016-10-31`), as far as the rules need it,
 * following the SAM translator's documented output (its "generated resources" and Policies
 * pages): `AWS::Serverless::Function` and `::StateMachine` get the execution role SAM generates
 * (`<Id>Role`, unless `Role` is given) with the managed policies and inline statements it would
 * hold — the Policies entries (managed names or ARNs, statements, policy templates), the basic
 * execution policy, and those added by Tracing, VpcConfig, DeadLetterQueue and pull event sources;
 * `DeploymentPreference` adds `CodeDeployServiceRole`. `::Api`, `::HttpApi`, `::SimpleTable` and
 * `::LayerVersion` become their CloudFormation types (nothing in them is checked). `Globals` are
 * merged first (lists appended, mappings merged, the resource's own values win). What SAM would
 * add that is not worked out here is an unknown policy on the role; SAM types not expanded here
 * stay as they are and are coverage gaps.
 */
export function expandSam(doc: Record<string, unknown>, lines: Map<string, number>, file: string, partition: string): { doc: Record<string, unknown>; lines: Map<string, number>; problems: Problem[]; gaps: SamGap[] } {
  const problems: Problem[] = [];
  const outLines = new Map(lines);
  const globals = isMap(doc.Globals) ? doc.Globals : {};
  const resources = isMap(doc.Resources) ? doc.Resources : {};
  const out: Record<string, Record<string, unknown>> = {};
  const gaps: SamGap[] = [];
  let codeDeployRole: Record<string, unknown> | undefined;
  let codeDeployLine: number | undefined;
  const add = (id: string, r: Record<string, unknown>, line: number | undefined): void => {
    if (id in resources) {
      problems.push({ file, line, message: `${id}: AWS SAM generates a resource with this logical id, but the template declares one too` });
      return;
    }
    out[id] = r;
    if (line !== undefined) outLines.set(id, line);
  };
  for (const [id, raw] of Object.entries(resources)) {
    if (!isMap(raw)) {
      out[id] = raw as Record<string, unknown>;
      continue;
    }
    if (raw.Connectors !== undefined) gaps.push({ address: id, affects: ['aws.iam.role', 'aws.iam.policy'], why: 'has AWS SAM Connectors, whose policies trustscan does not work out' });
    const type = raw.Type;
    const line = lines.get(id);
    const where = { file, line };
    const kind = typeof type === 'string' && type.startsWith('AWS::Serverless::') ? type.slice('AWS::Serverless::'.length) : undefined;
    const g = kind && isMap(globals[kind]) ? globals[kind] : undefined;
    const props = (g ? merge(g, raw.Properties ?? {}) : (raw.Properties ?? {})) as Record<string, unknown>;
    const attrs = passThrough(raw);
    switch (kind) {
      case 'Function': {
        out[id] = { ...attrs, Type: 'AWS::Lambda::Function', Properties: { FunctionName: props.FunctionName, Role: props.Role ?? { 'Fn::GetAtt': [`${id}Role`, 'Arn'] } } };
        if (props.Role === undefined) add(`${id}Role`, { ...attrs, Type: 'AWS::IAM::Role', Properties: functionRole(id, props, where, problems, partition) }, line);
        const dp = props.DeploymentPreference;
        if (isMap(dp) && dp.Enabled !== false && dp.Role === undefined && !codeDeployRole) {
          codeDeployRole = {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: trust('codedeploy.amazonaws.com'),
              ManagedPolicyArns: [managedArn('service-role/AWSCodeDeployRoleForLambda')],
            },
          };
          codeDeployLine = line;
        }
        break;
      }
      case 'StateMachine':
        out[id] = { ...attrs, Type: 'AWS::StepFunctions::StateMachine', Properties: { RoleArn: props.Role ?? { 'Fn::GetAtt': [`${id}Role`, 'Arn'] } } };
        if (props.Role === undefined) add(`${id}Role`, { ...attrs, Type: 'AWS::IAM::Role', Properties: stateMachineRole(id, props, where, problems) }, line);
        // Schedule and EventBridge events get roles of their own, which are not worked out here.
        if (isMap(props.Events) && Object.keys(props.Events).length > 0) gaps.push({ address: id, affects: ['aws.iam.role'], why: 'has Events, for which AWS SAM generates roles that trustscan does not work out' });
        break;
      case 'Api':
        out[id] = { ...attrs, Type: 'AWS::ApiGateway::RestApi', Properties: { Name: props.Name } };
        break;
      case 'HttpApi':
        out[id] = { ...attrs, Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: props.Name } };
        break;
      case 'SimpleTable':
        out[id] = { ...attrs, Type: 'AWS::DynamoDB::Table', Properties: { TableName: props.TableName } };
        break;
      case 'LayerVersion':
        out[id] = { ...attrs, Type: 'AWS::Lambda::LayerVersion', Properties: { LayerName: props.LayerName } };
        break;
      default:
        out[id] = raw;
    }
  }
  if (codeDeployRole) add('CodeDeployServiceRole', codeDeployRole, codeDeployLine);
  const result: Record<string, unknown> = { ...doc, Resources: out };
  delete result.Globals;
  return { doc: result, lines: outLines, problems, gaps };
}

/** Something SAM generates that is not worked out here: a gap on the runtime types it affects. */
export interface SamGap {
  address: string;
  affects: string[];
  why: string;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isUnresolved(v);
}

function isIntrinsic(v: unknown): boolean {
  if (!isMap(v)) return false;
  const keys = Object.keys(v);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** SAM's Globals merge: the resource's value wins for scalars and functions, mappings merge, lists append. */
function merge(global: unknown, local: unknown): unknown {
  if (Array.isArray(global) && Array.isArray(local)) return [...global, ...local];
  if (isMap(global) && isMap(local) && !isIntrinsic(global) && !isIntrinsic(local)) {
    const out: Record<string, unknown> = { ...global };
    for (const [k, v] of Object.entries(local)) out[k] = k in global ? merge(global[k], v) : v;
    return out;
  }
  return local;
}

/** Resource attributes SAM passes on to what it generates. */
function passThrough(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy']) if (raw[k] !== undefined) out[k] = raw[k];
  return out;
}

function trust(service: string): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [service] } }] };
}

function managedArn(pathAndName: string): Record<string, unknown> {
  return { 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy/${pathAndName}` };
}

interface RolePolicies {
  managed: unknown[];
  inline: unknown[];
}

function functionRole(id: string, props: Record<string, unknown>, where: Pick<Problem, 'file' | 'line'>, problems: Problem[], partition: string): Record<string, unknown> {
  const role = `${id}Role`;
  const p: RolePolicies = { managed: [managedArn(props.DurableConfig !== undefined ? 'service-role/AWSLambdaBasicDurableExecutionRolePolicy' : 'service-role/AWSLambdaBasicExecutionRole')], inline: [] };
  const tracing = props.Tracing;
  if (tracing !== undefined && tracing !== null && tracing !== 'Disabled') {
    p.managed.push(typeof tracing === 'string' ? managedArn(partition === 'aws' ? 'AWSXrayWriteOnlyAccess' : 'AWSXRayDaemonWriteAccess') : new Unresolved(`${id}: whether Tracing adds the X-Ray policy is decided at deploy`));
  }
  if (props.VpcConfig !== undefined) p.managed.push(managedArn('service-role/AWSLambdaVPCAccessExecutionRole'));
  policies(role, props.Policies, p, where, problems);
  const dlq = props.DeadLetterQueue;
  if (isMap(dlq)) {
    const action = dlq.Type === 'SQS' ? 'sqs:SendMessage' : dlq.Type === 'SNS' ? 'sns:Publish' : undefined;
    if (!action) problems.push({ ...where, message: `${id}: DeadLetterQueue.Type must be SQS or SNS` });
    else p.inline.push({ PolicyName: 'DeadLetterQueuePolicy', PolicyDocument: { Version: '2012-10-17', Statement: [{ Action: action, Resource: dlq.TargetArn, Effect: 'Allow' }] } });
  }
  if (isMap(props.EventInvokeConfig) && props.EventInvokeConfig.DestinationConfig !== undefined) {
    p.inline.push(new Unresolved(`${id}: the policies AWS SAM adds for EventInvokeConfig destinations are not worked out by trustscan`));
  }
  const pull: Record<string, string> = {
    Kinesis: 'service-role/AWSLambdaKinesisExecutionRole',
    DynamoDB: 'service-role/AWSLambdaDynamoDBExecutionRole',
    SQS: 'service-role/AWSLambdaSQSQueueExecutionRole',
    MSK: 'service-role/AWSLambdaMSKExecutionRole',
  };
  const added = new Set<string>();
  for (const ev of Object.values(isMap(props.Events) ? props.Events : {})) {
    if (!isMap(ev) || typeof ev.Type !== 'string') continue;
    const arn = pull[ev.Type];
    if (arn && !added.has(arn)) {
      added.add(arn);
      p.managed.push(managedArn(arn));
    }
    const withStatements = ev.Type === 'MQ' || ev.Type === 'SelfManagedKafka' || ev.Type === 'DocumentDB' || (ev.Type === 'MSK' && isMap(ev.Properties) && ev.Properties.SourceAccessConfigurations !== undefined);
    if (withStatements) p.inline.push(new Unresolved(`${id}: the policy AWS SAM adds for its ${ev.Type} event source is not worked out by trustscan`));
  }
  return roleProperties(props, trust('lambda.amazonaws.com'), p);
}

function stateMachineRole(id: string, props: Record<string, unknown>, where: Pick<Problem, 'file' | 'line'>, problems: Problem[]): Record<string, unknown> {
  const p: RolePolicies = { managed: [], inline: [] };
  policies(`${id}Role`, props.Policies, p, where, problems);
  if (props.Logging !== undefined) p.inline.push(new Unresolved(`${id}: the CloudWatch Logs policy AWS SAM adds for Logging is not worked out by trustscan`));
  if (isMap(props.Tracing) && props.Tracing.Enabled !== false) p.managed.push(managedArn('AWSXrayWriteOnlyAccess'));
  return roleProperties(props, trust('states.amazonaws.com'), p);
}

function roleProperties(props: Record<string, unknown>, defaultTrust: Record<string, unknown>, p: RolePolicies): Record<string, unknown> {
  const out: Record<string, unknown> = { AssumeRolePolicyDocument: props.AssumeRolePolicyDocument ?? defaultTrust, ManagedPolicyArns: p.managed };
  if (p.inline.length > 0) out.Policies = p.inline;
  if (props.RolePath !== undefined) out.Path = props.RolePath;
  if (props.PermissionsBoundary !== undefined) out.PermissionsBoundary = props.PermissionsBoundary;
  return out;
}

/** One `Policies` entry as SAM reads it: a managed policy, a statement document, or a policy template. */
function policies(role: string, raw: unknown, p: RolePolicies, where: Pick<Problem, 'file' | 'line'>, problems: Problem[]): void {
  if (raw === undefined || raw === null) return;
  const entries = Array.isArray(raw) ? raw : [raw];
  entries.forEach((e, i) => {
    const name = `${role}Policy${i}`;
    const one = (x: unknown): { kind: 'managed' | 'inline' | 'none'; value: unknown } | string => {
      if (isMap(x) && Object.keys(x).length === 1 && x.Ref === 'AWS::NoValue') return { kind: 'none', value: x };
      if (typeof x === 'string') return { kind: 'managed', value: managedPolicyArn(x) };
      if (isMap(x) && 'Fn::If' in x) return 'a nested Fn::If';
      if (isIntrinsic(x)) return { kind: 'managed', value: x };
      if (isMap(x) && 'Statement' in x) return { kind: 'inline', value: { PolicyName: name, PolicyDocument: x } };
      if (isMap(x) && Object.keys(x).length === 1) {
        const [tname] = Object.keys(x);
        const t = policyTemplates()[tname];
        if (!t) return { kind: 'inline', value: new Unresolved(`AWS SAM policy template ${tname} is not known to trustscan: what it grants is unknown`) };
        const given = isMap(x[tname]) ? (x[tname] as Record<string, unknown>) : {};
        const missing = t.parameters.filter((q) => given[q] === undefined);
        if (missing.length > 0) return `policy template ${tname} needs ${missing.join(', ')}`;
        return { kind: 'inline', value: { PolicyName: name, PolicyDocument: { Statement: fill(t.statement, given) } } };
      }
      return `Policies[${i}] is not a managed policy, a policy document or a policy template`;
    };
    if (isMap(e) && Array.isArray(e['Fn::If']) && e['Fn::If'].length === 3) {
      const [cond, a, b] = e['Fn::If'] as unknown[];
      const ra = one(a);
      const rb = one(b);
      if (typeof ra === 'string' || typeof rb === 'string') {
        problems.push({ ...where, message: `${role}: Policies[${i}]: ${typeof ra === 'string' ? ra : rb}` });
        return;
      }
      const kinds = new Set([ra.kind, rb.kind].filter((k) => k !== 'none'));
      if (kinds.size > 1) {
        p.inline.push(new Unresolved(`${role}: Policies[${i}] is a managed policy or a statement depending on ${String(cond)}`));
        return;
      }
      const v = { 'Fn::If': [cond, ra.value, rb.value] };
      if (kinds.has('managed')) p.managed.push(v);
      else if (kinds.has('inline')) p.inline.push(v);
      return;
    }
    const r = one(e);
    if (typeof r === 'string') problems.push({ ...where, message: `${role}: ${r}` });
    else if (r.kind === 'managed') p.managed.push(r.value);
    else if (r.kind === 'inline') p.inline.push(r.value);
  });
}

/** A managed policy named in Policies: an ARN as it is, an AWS-managed policy name by its ARN. */
function managedPolicyArn(nameOrArn: string): unknown {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const e = managedPolicies().byName(nameOrArn);
  if (!e) return new Unresolved(`managed policy ${nameOrArn} is not an AWS-managed policy trustscan knows, so its ARN is unknown`);
  return { 'Fn::Sub': `arn:\${AWS::Partition}:iam::aws:policy${e.key}` };
}

/** A template's statements with `{"Ref": "<Parameter>"}` replaced by the values given. */
function fill(v: unknown, given: Record<string, unknown>): unknown {
  if (Array.isArray(v)) return v.map((x) => fill(x, given));
  if (!isMap(v)) return v;
  const keys = Object.keys(v);
  if (keys.length === 1 && keys[0] === 'Ref' && typeof v.Ref === 'string' && v.Ref in given) return given[v.Ref];
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x, given)]));
}

interface PolicyTemplate {
  parameters: string[];
  statement: unknown[];
}

let templates: Record<string, PolicyTemplate> | undefined;

/** The SAM policy templates (data/aws/sam-policy-templates.json, with its source and date). */
function policyTemplates(): Record<string, PolicyTemplate> {
  templates ??= (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'data', 'aws', 'sam-policy-templates.json'), 'utf8')) as { templates: Record<string, PolicyTemplate> }).templates;
  return templates;
}
