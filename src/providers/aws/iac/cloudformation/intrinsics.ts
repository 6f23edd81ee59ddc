import { UNKNOWN_ACCOUNT, UNKNOWN_REGION } from '../../../../iac/draft';
import { partitionOf } from '../arn';
import { findUnresolved, isUnresolved, Unresolved } from '../../../../iac/values';

/** Marks a property removed by `AWS::NoValue`. */
export const NO_VALUE = Symbol('AWS::NoValue');

type Res = Record<string, unknown>;

/** What `Ref` and `Fn::GetAtt` return for a resource, when the template fixes it before deploy. */
type RefValue = (logicalId: string, resource: Res, attr: string | undefined, r: Resolver) => unknown;

const nameProp = (prop: string): RefValue => (id, res, attr, r) => {
  if (attr !== undefined && attr !== 'Arn') return undefined;
  const name = r.resolve((res.Properties as Res | undefined)?.[prop]);
  if (isUnresolved(name)) return name;
  if (typeof name !== 'string') return undefined;
  return attr === undefined ? name : r.iamArn(id, res, name);
};

/** Resource types whose Ref or GetAtt Arn can be computed from their properties. */
const REFS: Record<string, RefValue> = {
  'AWS::S3::Bucket': (_id, res, attr, r) => {
    const name = r.resolve((res.Properties as Res | undefined)?.BucketName);
    if (isUnresolved(name)) return name;
    if (typeof name !== 'string') return undefined;
    if (attr === undefined || attr === 'BucketName') return name;
    if (attr === 'Arn') return `arn:${partitionOf(r.region)}:s3:::${name}`;
    return undefined;
  },
  'AWS::IAM::User': nameProp('UserName'),
  'AWS::IAM::Group': nameProp('GroupName'),
  'AWS::IAM::Role': nameProp('RoleName'),
  'AWS::IAM::ManagedPolicy': (id, res, attr, r) => {
    if (attr !== undefined && attr !== 'PolicyArn') return undefined;
    const name = r.resolve((res.Properties as Res | undefined)?.ManagedPolicyName);
    return typeof name === 'string' ? r.iamArn(id, res, name) : undefined;
  },
  'AWS::CloudTrail::Trail': (_id, res, attr, r) => (attr === undefined ? r.resolve((res.Properties as Res | undefined)?.TrailName) : undefined),
};

/**
 * What `Ref` (`Ref`) and `Fn::GetAtt` return for each created resource of these types: an id,
 * a name or an ARN that the resource always has once it exists, so a reference to it is never
 * empty after deploy (per each type's "Return values" in the CloudFormation reference). Only the
 * types whose references land in settings trustscan reads are listed.
 */
const ALWAYS_SET: Record<string, readonly string[]> = {
  'AWS::KMS::Key': ['Ref', 'Arn', 'KeyId'],
  'AWS::KMS::Alias': ['Ref'],
  'AWS::Logs::LogGroup': ['Ref', 'Arn'],
  'AWS::SNS::Topic': ['Ref', 'TopicArn', 'TopicName'],
  'AWS::IAM::Role': ['Ref', 'Arn', 'RoleId'],
  'AWS::S3::Bucket': ['Ref', 'Arn'],
  'AWS::CloudTrail::Trail': ['Ref', 'Arn'],
  'AWS::EC2::PrefixList': ['Ref', 'PrefixListId'],
};

const IAM_KIND: Record<string, string> = { 'AWS::IAM::User': 'user', 'AWS::IAM::Group': 'group', 'AWS::IAM::Role': 'role', 'AWS::IAM::ManagedPolicy': 'policy' };

/**
 * Resolves CloudFormation intrinsic functions as far as the template decides them: parameters
 * (their Default), mappings, conditions, pseudo parameters given on the command line, and the
 * names and ARNs of resources whose names the template sets. Anything decided at deploy becomes an
 * Unresolved that still names the logical ids it refers to, so resources can be linked.
 */
/** How many references may lead through one another before the rest is left unknown. */
const MAX_REF_DEPTH = 64;

/** A chain of references back to where it started (`A → B → A`), reported once per cycle. */
export type CycleReport = (kind: 'resource' | 'condition', chain: string[]) => void;

/** What Ref and GetAtt of a resource give while one value is resolved (see `resolveWith`). */
export type Bindings = Map<string, Record<string, unknown>>;

export class Resolver {
  private readonly resources: Record<string, Res>;
  private readonly conditions = new Map<string, boolean | Unresolved>();
  /** Resources and conditions being resolved, innermost last: a name met again is a cycle. */
  private readonly resolving: string[] = [];
  private readonly resolvingSet = new Set<string>();
  private readonly conditionsResolving: string[] = [];
  /** Ref/GetAtt results of resources, each worked out once (templates reference names often). */
  private readonly refs = new Map<string, unknown>();
  /** Counts cut-offs at MAX_REF_DEPTH: a value computed under one is not cached. */
  private cutOffs = 0;
  private bindings: Bindings | null = null;

  constructor(
    private readonly doc: Res,
    readonly account: string,
    readonly region: string,
    private readonly onCycle: CycleReport = () => {},
  ) {
    this.resources = (doc.Resources ?? {}) as Record<string, Res>;
  }

  iamArn(id: string, res: Res, name: string): unknown {
    if (this.account === UNKNOWN_ACCOUNT) return new Unresolved('the account id is not known from the template (pass --account)', [id]);
    const path = this.resolve((res.Properties as Res | undefined)?.Path) ?? '/';
    return typeof path === 'string' ? `arn:${partitionOf(this.region)}:iam::${this.account}:${IAM_KIND[String(res.Type)]}${path}${name}` : path;
  }

  typeOf(logicalId: string): string | undefined {
    const t = this.resources[logicalId]?.Type;
    return typeof t === 'string' ? t : undefined;
  }

  /** False when the resource's Condition is false (it will not be created). */
  created(logicalId: string): boolean | Unresolved {
    const c = this.resources[logicalId]?.Condition;
    return typeof c === 'string' ? this.condition(c) : true;
  }

  condition(name: string, depth = 0): boolean | Unresolved {
    const cached = this.conditions.get(name);
    if (cached !== undefined) return cached;
    const at = this.conditionsResolving.indexOf(name);
    if (at >= 0) {
      const chain = [...this.conditionsResolving.slice(at), name];
      this.onCycle('condition', chain);
      return new Unresolved(`conditions refer to each other in a circle: ${chain.join(' → ')}`);
    }
    const def = (this.doc.Conditions as Res | undefined)?.[name];
    this.conditionsResolving.push(name);
    let v: boolean | Unresolved;
    try {
      v = def === undefined ? new Unresolved(`condition ${name} is not defined`) : this.evalCondition(def, depth + 1);
    } finally {
      this.conditionsResolving.pop();
    }
    this.conditions.set(name, v);
    return v;
  }

  private evalCondition(c: unknown, depth: number): boolean | Unresolved {
    if (depth > 32) return new Unresolved('conditions nest too deeply');
    const v = this.resolve(c, depth);
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    return isUnresolved(v) ? v : new Unresolved('condition does not evaluate to a boolean');
  }

  private pseudo(name: string): unknown {
    switch (name) {
      case 'AWS::AccountId':
        return this.account === UNKNOWN_ACCOUNT ? new Unresolved('AWS::AccountId is set at deploy (pass --account)') : this.account;
      case 'AWS::Region':
        return this.region === UNKNOWN_REGION ? new Unresolved('AWS::Region is set at deploy (pass --region)') : this.region;
      case 'AWS::Partition':
        return partitionOf(this.region);
      case 'AWS::URLSuffix':
        return this.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        return new Unresolved(`${name} is set at deploy`);
    }
  }

  /**
   * Resolves a resource's properties. The resource counts as being resolved meanwhile, so a
   * property that leads back to it (`BucketName: !Sub "\${Bucket}-x"`) is reported as a cycle.
   */
  resolveResource(logicalId: string, v: unknown): unknown {
    return this.within(logicalId, () => this.resolve(v));
  }

  /**
   * Resolves `v` with what Ref and GetAtt of some resources give fixed by `bindings`
   * (logical id → { Ref: …, Arn: … }); results that depend on them are not cached.
   */
  resolveWith(bindings: Bindings, v: unknown): unknown {
    const before = this.bindings;
    this.bindings = bindings;
    try {
      return this.resolve(v);
    } finally {
      this.bindings = before;
    }
  }

  private within<T>(logicalId: string, fn: () => T): T {
    this.resolving.push(logicalId);
    this.resolvingSet.add(logicalId);
    try {
      return fn();
    } finally {
      this.resolving.pop();
      if (!this.resolving.includes(logicalId)) this.resolvingSet.delete(logicalId);
    }
  }

  ref(name: string, attr?: string): unknown {
    if (name.startsWith('AWS::') && attr === undefined) return this.pseudo(name);
    const param = (this.doc.Parameters as Record<string, Res> | undefined)?.[name];
    if (param && attr === undefined) {
      // The Default of an SSM parameter type names a Parameter Store parameter; its value is read at deploy.
      if (typeof param.Type === 'string' && param.Type.startsWith('AWS::SSM::Parameter::Value<')) {
        return new Unresolved(`parameter ${name} is read from Parameter Store at deploy`);
      }
      if (param.Default === undefined) return new Unresolved(`parameter ${name} has no default: its value is given at deploy`);
      // A Default is a value (the template checks say so): nothing in it to resolve.
      const value = param.Default;
      // Parameter values are strings (a Number's too); list types are lists of strings.
      const listType = param.Type === 'CommaDelimitedList' || (typeof param.Type === 'string' && param.Type.startsWith('List<'));
      if (listType && typeof value === 'string') return value.split(',').map((x) => x.trim());
      if (listType && Array.isArray(value)) return value.map(String);
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : value;
    }
    const bound = this.bindings?.get(name)?.[attr ?? 'Ref'];
    if (bound !== undefined) return bound;
    const res = this.resources[name];
    if (!res) return new Unresolved(`${name} is not a parameter or resource of this template`);
    if (this.resolvingSet.has(name)) {
      const chain = [...this.resolving.slice(this.resolving.indexOf(name)), name];
      this.onCycle('resource', chain);
      return new Unresolved(`references lead back in a circle: ${chain.join(' → ')}`, [name]);
    }
    const key = `${name}\u0000${attr ?? ''}`;
    const cache = this.bindings === null;
    if (cache && this.refs.has(key)) return this.refs.get(key);
    if (this.resolving.length >= MAX_REF_DEPTH) {
      this.cutOffs++;
      return new Unresolved(`references nest more than ${MAX_REF_DEPTH} deep here (through ${name}): left unknown`, [name]);
    }
    const cutOffs = this.cutOffs;
    const v = this.within(name, () => this.refOf(name, res, attr));
    if (cache && this.cutOffs === cutOffs) this.refs.set(key, v);
    return v;
  }

  private refOf(name: string, res: Res, attr: string | undefined): unknown {
    const type = String(res.Type);
    const fn = REFS[type];
    const v = fn ? fn(name, res, attr, this) : undefined;
    if (v !== undefined && v !== null && !isUnresolved(v)) return v;
    // A resource that is created (no Condition, or one that holds) has its id and ARN once deployed.
    const set = this.created(name) === true && (ALWAYS_SET[type]?.includes(attr ?? 'Ref') ?? false);
    const what = attr === undefined ? `Ref ${name}` : `GetAtt ${name}.${attr}`;
    // The reason of what the name was made from says why; the reference still names this resource.
    const reason = isUnresolved(v) ? `${what}: ${v.reason}` : `${what} is known only after deploy`;
    return new Unresolved(set ? `${reason}; every ${type} has it` : reason, [name], set);
  }

  /** Resolves every intrinsic in `v`; properties set to AWS::NoValue are dropped. */
  resolve(v: unknown, depth = 0): unknown {
    if (depth > 64) return new Unresolved('intrinsic functions nest too deeply');
    // A dynamic reference (Parameter Store, Secrets Manager) is replaced by its value at deploy.
    if (typeof v === 'string' && v.includes('{{resolve:')) return dynamicReference(v);
    if (Array.isArray(v)) return v.map((x) => this.resolve(x, depth + 1)).filter((x) => x !== NO_VALUE);
    if (v === null || typeof v !== 'object' || isUnresolved(v)) return v;
    const o = v as Res;
    const keys = Object.keys(o);
    if (keys.length === 1) {
      const k = keys[0];
      const arg = o[k];
      if (k === 'Ref') return typeof arg === 'string' ? this.ref(arg) : new Unresolved('Ref needs a name');
      if (k === 'Condition' && typeof arg === 'string') return this.condition(arg, depth + 1);
      if (k.startsWith('Fn::')) return this.fn(k.slice(4), arg, depth + 1);
    }
    const out: Res = {};
    for (const [k, x] of Object.entries(o)) {
      const r = this.resolve(x, depth + 1);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private fn(name: string, rawArg: unknown, depth: number): unknown {
    if (name === 'If') {
      if (!Array.isArray(rawArg) || rawArg.length !== 3 || typeof rawArg[0] !== 'string') return new Unresolved('Fn::If needs [condition, then, else]');
      const c = this.condition(rawArg[0], depth);
      if (c === true) return this.resolve(rawArg[1], depth);
      if (c === false) return this.resolve(rawArg[2], depth);
      const a = this.resolve(rawArg[1], depth);
      const b = this.resolve(rawArg[2], depth);
      return JSON.stringify(a) === JSON.stringify(b) && !findUnresolved(a) ? a : new Unresolved(`Fn::If: ${c.reason}`, [...refsOf(a), ...refsOf(b)]);
    }
    if (name === 'GetAtt') {
      const parts = typeof rawArg === 'string' ? rawArg.split('.') : Array.isArray(rawArg) ? rawArg.map((x) => this.resolve(x, depth)) : [];
      if (typeof parts[0] !== 'string' || typeof parts[1] !== 'string') return new Unresolved('Fn::GetAtt needs [resource, attribute]', typeof parts[0] === 'string' ? [parts[0]] : []);
      return this.ref(parts[0], parts.slice(1).join('.'));
    }
    if (name === 'Sub') return this.sub(rawArg, depth);
    const arg = this.resolve(rawArg, depth);
    const u = findUnresolved(arg);
    switch (name) {
      case 'Join': {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string') return new Unresolved('Fn::Join needs [delimiter, list]');
        if (u) return new Unresolved(`Fn::Join: ${u.reason}`, refsOf(arg));
        return Array.isArray(arg[1]) ? arg[1].map(String).join(arg[0]) : new Unresolved('Fn::Join needs a list');
      }
      case 'Select': {
        if (u) return new Unresolved(`Fn::Select: ${u.reason}`, refsOf(arg));
        return Array.isArray(arg) && Array.isArray(arg[1]) ? arg[1][Number(arg[0])] : new Unresolved('Fn::Select needs [index, list]');
      }
      case 'Split':
        if (u) return new Unresolved(`Fn::Split: ${u.reason}`, refsOf(arg));
        return Array.isArray(arg) && typeof arg[0] === 'string' && typeof arg[1] === 'string' ? arg[1].split(arg[0]) : new Unresolved('Fn::Split needs [delimiter, string]');
      case 'FindInMap': {
        if (u) return new Unresolved(`Fn::FindInMap: ${u.reason}`, refsOf(arg));
        if (!Array.isArray(arg) || arg.length < 3) return new Unresolved('Fn::FindInMap needs [map, key, key]');
        const m = (this.doc.Mappings as Res | undefined)?.[String(arg[0])] as Res | undefined;
        const row = m?.[String(arg[1])] as Res | undefined;
        const val = row?.[String(arg[2])];
        return val === undefined ? (arg[3] as Res | undefined)?.DefaultValue ?? new Unresolved(`Fn::FindInMap: ${arg.slice(0, 3).join('/')} is not in Mappings`) : this.resolve(val, depth);
      }
      case 'Equals': {
        if (u) return new Unresolved(`Fn::Equals: ${u.reason}`, refsOf(arg));
        if (!Array.isArray(arg) || arg.length !== 2) return new Unresolved('Fn::Equals needs two values');
        const [a, b] = arg as unknown[];
        // A number (or boolean) written in the template against the same text in a string: how
        // CloudFormation compares them is not decided here.
        const scalar = (x: unknown): boolean => ['string', 'number', 'boolean'].includes(typeof x);
        if (scalar(a) && scalar(b) && typeof a !== typeof b && String(a) === String(b)) return new Unresolved(`Fn::Equals compares ${JSON.stringify(a)} with ${JSON.stringify(b)}`);
        return JSON.stringify(a) === JSON.stringify(b);
      }
      case 'Not':
        return Array.isArray(arg) && typeof arg[0] === 'boolean' ? !arg[0] : u ?? new Unresolved('Fn::Not needs [condition]');
      case 'And':
      case 'Or': {
        if (!Array.isArray(arg)) return new Unresolved(`Fn::${name} needs a list`);
        const decisive = name === 'And' ? false : true;
        if (arg.some((x) => x === decisive)) return decisive;
        return u ? new Unresolved(`Fn::${name}: ${u.reason}`) : !decisive;
      }
      case 'Base64':
        return u ?? Buffer.from(String(arg)).toString('base64');
      case 'ToJsonString':
        return u ? new Unresolved(`Fn::ToJsonString: ${u.reason}`, refsOf(arg)) : JSON.stringify(arg);
      case 'Length':
        return u ?? (Array.isArray(arg) ? arg.length : new Unresolved('Fn::Length needs a list'));
      default:
        return new Unresolved(`Fn::${name} is evaluated at deploy`, refsOf(arg));
    }
  }

  private sub(rawArg: unknown, depth: number): unknown {
    let text: unknown = rawArg;
    let vars: Res = {};
    if (Array.isArray(rawArg)) {
      text = rawArg[0];
      vars = (rawArg[1] ?? {}) as Res;
    }
    if (typeof text !== 'string') return new Unresolved('Fn::Sub needs a string');
    const unresolved: { placeholder: string; value: Unresolved }[] = [];
    const out = text.replace(/\$\{([^}]*)\}/g, (whole, expr: string) => {
      if (expr.startsWith('!')) return `\${${expr.slice(1)}}`;
      let v: unknown;
      if (expr in vars) v = this.resolve(vars[expr], depth + 1);
      else if (expr.includes('.') && !expr.startsWith('AWS::')) {
        const dot = expr.indexOf('.');
        v = this.ref(expr.slice(0, dot), expr.slice(dot + 1));
      } else v = this.ref(expr);
      if (isUnresolved(v)) {
        unresolved.push({ placeholder: whole, value: v });
        return whole;
      }
      return String(v);
    });
    if (unresolved.length) {
      // Fn::Sub always gives a string: it is set when some of it is certain text, or some value in it is set.
      const fixed = out.length - unresolved.reduce((n, u) => n + u.placeholder.length, 0);
      const set = fixed > 0 || unresolved.some((u) => u.value.present);
      return new Unresolved(`Fn::Sub: ${unresolved[0].value.reason}`, unresolved.flatMap((u) => u.value.refs), set);
    }
    return out.includes('{{resolve:') ? dynamicReference(out) : out;
  }
}

/** A string holding a dynamic reference (`{{resolve:ssm:…}}`, `{{resolve:secretsmanager:…}}`): CloudFormation replaces it at deploy. */
function dynamicReference(v: string): Unresolved {
  const start = v.indexOf('{{resolve:');
  const end = v.indexOf('}}', start);
  return new Unresolved(`${end < 0 ? v.slice(start) : v.slice(start, end + 2)} is resolved at deploy`);
}

function refsOf(v: unknown): string[] {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (isUnresolved(x)) out.push(...x.refs);
    else if (Array.isArray(x)) x.forEach(walk);
    else if (x !== null && typeof x === 'object') Object.values(x).forEach(walk);
  };
  walk(v);
  return out;
}
