import type { Problem } from '../../../../core/errors';
import { isUnresolved } from '../../../../iac/values';

/**
 * Properties CloudFormation requires of the resource types trustscan reads (per each type's
 * reference): a template without them does not deploy, so they are reported at the resource
 * instead of surfacing as a schema message about a mapped field.
 */
const REQUIRED: Record<string, string[]> = {
  'AWS::IAM::Policy': ['PolicyName', 'PolicyDocument'],
  'AWS::IAM::ManagedPolicy': ['PolicyDocument'],
  'AWS::IAM::Role': ['AssumeRolePolicyDocument'],
  'AWS::IAM::RolePolicy': ['PolicyName', 'RoleName'],
  'AWS::IAM::UserPolicy': ['PolicyName', 'UserName'],
  'AWS::IAM::GroupPolicy': ['PolicyName', 'GroupName'],
  'AWS::IAM::AccessKey': ['UserName'],
  'AWS::IAM::UserToGroupAddition': ['GroupName', 'Users'],
  'AWS::S3::BucketPolicy': ['Bucket', 'PolicyDocument'],
  'AWS::EC2::SecurityGroup': ['GroupDescription'],
  'AWS::EC2::SecurityGroupIngress': ['IpProtocol'],
  'AWS::EC2::SecurityGroupEgress': ['GroupId', 'IpProtocol'],
  'AWS::CloudTrail::Trail': ['IsLogging', 'S3BucketName'],
  'AWS::KMS::Alias': ['AliasName', 'TargetKeyId'],
};

/** Inline policy lists whose entries need a name and a document. */
const INLINE_POLICIES: Record<string, string> = { 'AWS::IAM::User': 'Policies', 'AWS::IAM::Group': 'Policies', 'AWS::IAM::Role': 'Policies' };

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !isUnresolved(v);
const isIntrinsic = (v: unknown): boolean => isMapping(v) && Object.keys(v).length === 1 && /^(Ref|Fn::|Condition$)/.test(Object.keys(v)[0]);

/** Line of a top-level section's key, found in the text (for sections the line map does not cover). */
export function sectionLine(text: string, section: string): number | undefined {
  const m = new RegExp(`^\\s*["']?${section}["']?\\s*:`, 'm').exec(text);
  return m ? text.slice(0, m.index + m[0].length - m[0].trimStart().length).split('\n').length : undefined;
}

/**
 * The shape CloudFormation demands of the sections trustscan reads: Resources a non-empty mapping
 * of resources, each with a string Type (and Properties a mapping); Parameters whose Default is a
 * value (CloudFormation evaluates no function there); the required properties of the types read.
 * `Fn::ForEach::` entries are left to the expansion. `emptyOk` when Resources holds only loops
 * that could not be expanded (reported as gaps).
 */
export function checkTemplate(file: string, doc: Record<string, unknown>, lines: Map<string, number>, text: string, emptyOk = false): Problem[] {
  const problems: Problem[] = [];
  const at = (id: string): Pick<Problem, 'file' | 'line'> => ({ file, line: lines.get(id) ?? sectionLine(text, 'Resources') });
  const res = doc.Resources;
  if (!isMapping(res) || (Object.keys(res).length === 0 && !emptyOk)) {
    problems.push({
      file,
      line: sectionLine(text, 'Resources'),
      message: res === undefined ? 'the template has no Resources section' : `Resources must be a mapping of at least one resource (it is ${res === null ? 'empty' : Array.isArray(res) ? 'a list' : Object.keys(res as object).length === 0 ? 'an empty mapping' : typeof res})`,
    });
    return problems;
  }
  for (const [id, r] of Object.entries(res)) {
    if (id.startsWith('Fn::ForEach::')) continue;
    if (!isMapping(r)) {
      problems.push({ ...at(id), message: `${id}: a resource must be a mapping with a Type` });
      continue;
    }
    if (typeof r.Type !== 'string' || r.Type === '') {
      problems.push({ ...at(id), message: r.Type === undefined ? `${id}: the resource has no Type` : `${id}: Type must be a resource type name such as AWS::S3::Bucket` });
      continue;
    }
    if (r.Properties !== undefined && r.Properties !== null && !isMapping(r.Properties)) problems.push({ ...at(id), message: `${id}: Properties must be a mapping` });
    if (r.Condition !== undefined && typeof r.Condition !== 'string') problems.push({ ...at(id), message: `${id}: Condition must be the name of a condition` });
    problems.push(...requiredProperties(id, r, at(id)));
  }
  const params = doc.Parameters;
  if (params !== undefined && params !== null) {
    if (!isMapping(params)) problems.push({ file, line: sectionLine(text, 'Parameters'), message: 'Parameters must be a mapping' });
    else {
      for (const [name, p] of Object.entries(params)) {
        const line = sectionLine(text, 'Parameters');
        if (!isMapping(p) || typeof p.Type !== 'string') {
          problems.push({ file, line, message: `Parameters.${name}: a parameter needs a Type` });
          continue;
        }
        const d = p.Default;
        const scalar = (x: unknown): boolean => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean';
        if (d !== undefined && !scalar(d) && !(Array.isArray(d) && d.every(scalar))) {
          problems.push({
            file,
            line,
            message: `Parameters.${name}.Default must be a value${isIntrinsic(d) ? `, not ${Object.keys(d as object)[0]}: CloudFormation evaluates no function in Parameters` : ''}`,
          });
        }
      }
    }
  }
  return problems;
}

/** Required properties of a read type that are missing (an intrinsic in their place is fine). */
export function requiredProperties(id: string, r: Record<string, unknown>, where: Pick<Problem, 'file' | 'line'>): Problem[] {
  const out: Problem[] = [];
  const type = String(r.Type);
  const props = isMapping(r.Properties) ? r.Properties : {};
  for (const p of REQUIRED[type] ?? []) if (props[p] === undefined || props[p] === null) out.push({ ...where, message: `${id}: ${type} requires ${p}` });
  const listProp = INLINE_POLICIES[type];
  const list = listProp ? props[listProp] : undefined;
  if (Array.isArray(list)) {
    list.forEach((e, i) => {
      if (!isMapping(e) || isIntrinsic(e)) return;
      for (const p of ['PolicyName', 'PolicyDocument']) if (e[p] === undefined || e[p] === null) out.push({ ...where, message: `${id}: ${listProp}[${i}] requires ${p}` });
    });
  }
  return out;
}
