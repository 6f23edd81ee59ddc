import type { CoverageEntry, Resource } from '../../../../src/core/types';
import { SnapshotIndex } from '../../../../src/engine/snapshot-index';
import { UNKNOWN_VALUE } from '../../../../src/facts/index';
import type { FactSettings } from '../../../../src/facts/fact-types';
import { resource, snapshot } from '../../../helpers';
import { builtinFacts, builtinRegistry } from '../../../../src/catalog';

export const ACCOUNT = '123456789012';
export const U = UNKNOWN_VALUE;
const registry = builtinRegistry();
const facts = builtinFacts();

export type Doc = Record<string, unknown>;

/** A policy document from statements. */
export function doc(...statements: Doc[]): Doc {
  return { Version: '2012-10-17', Statement: statements };
}

export const allow = (Action: unknown, Resource: unknown = '*', extra: Doc = {}): Doc => ({ Effect: 'Allow', Action, Resource, ...extra });
export const deny = (Action: unknown, Resource: unknown = '*', extra: Doc = {}): Doc => ({ Effect: 'Deny', Action, Resource, ...extra });

let n = 0;
export function user(name: string, props: Doc = {}, extra: Partial<Resource> = {}): Resource {
  return resource({
    type: 'aws.iam.user',
    id: `arn:aws:iam::${ACCOUNT}:user/${name}`,
    name,
    properties: {
      userName: name,
      arn: `arn:aws:iam::${ACCOUNT}:user/${name}`,
      groups: [],
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
      ...props,
    },
    ...extra,
  });
}

export function role(name: string, props: Doc = {}, extra: Partial<Resource> = {}): Resource {
  return resource({
    type: 'aws.iam.role',
    id: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    name,
    properties: {
      roleName: name,
      arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
      serviceLinked: false,
      assumeRolePolicy: null,
      attachedPolicies: [],
      inlinePolicies: [],
      permissionsBoundary: null,
      ...props,
    },
    ...extra,
  });
}

export function group(name: string, props: Doc = {}): Resource {
  return resource({
    type: 'aws.iam.group',
    id: `arn:aws:iam::${ACCOUNT}:group/${name}`,
    name,
    properties: { groupName: name, arn: `arn:aws:iam::${ACCOUNT}:group/${name}`, members: [], attachedPolicies: [], inlinePolicies: [], ...props },
  });
}

export function managed(name: string, document: Doc | null, extra: Partial<Resource> = {}, aws = false): Resource {
  const arn = aws ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${ACCOUNT}:policy/${name}`;
  return resource({
    type: 'aws.iam.policy',
    id: arn,
    name,
    properties: { policyName: name, arn, awsManaged: aws, document, attachmentCount: 1 },
    ...extra,
  });
}

export const inline = (...docs: Doc[]): { policyName: string; document: Doc }[] => docs.map((d) => ({ policyName: `p${++n}`, document: d }));
export const attach = (...policies: Resource[]): { policyName: string; policyArn: string }[] =>
  policies.map((p) => ({ policyName: String(p.properties.policyName), policyArn: String(p.properties.arn) }));

/** Computes a fact of `subject` in a snapshot of `subject` and `others`. */
export function fact(subject: Resource, name: string, others: Resource[] = [], settings: FactSettings = {}, coverage: CoverageEntry[] = []): Record<string, unknown> {
  const index = new SnapshotIndex(snapshot([subject, ...others], coverage), registry, settings);
  const def = facts.get(subject.type, name);
  if (!def) throw new Error(`no fact ${name} for ${subject.type}`);
  return def.compute(subject, index) as Record<string, unknown>;
}

/** The fact's unknown reasons. */
export function reasons(subject: Resource, name: string, others: Resource[] = []): string[] {
  const index = new SnapshotIndex(snapshot([subject, ...others]), registry);
  return facts.get(subject.type, name)!.unknownReasons?.(subject, index) ?? [];
}

/** `permissions` of a user whose inline policies are `docs`. */
export function permsOf(...docs: Doc[]): Record<string, unknown> {
  return fact(user('u', { inlinePolicies: inline(...docs) }), 'permissions');
}

/** Method ids of granted (true) escalation paths. */
export function methods(p: Record<string, unknown>): string[] {
  return (p.privilegeEscalation as { method: string; granted: unknown }[]).filter((e) => e.granted === true).map((e) => e.method);
}

export function wildcards(p: Record<string, unknown>): string[] {
  return (p.serviceWildcards as { service: string; granted: unknown }[]).filter((w) => w.granted === true).map((w) => w.service);
}

/** Method ids of potential escalations (granted, but nothing more privileged in reach). */
export function potential(p: Record<string, unknown>): string[] {
  return (p.potentialEscalation as { method: string }[]).map((e) => e.method);
}

/** A trust policy letting `principal` (`{ Service: … }` or `{ AWS: … }`) assume a role. */
export function trust(principal: Doc, extra: Doc = {}): Doc {
  return doc({ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra });
}

/** A role with full access that the given services may assume. */
export function serviceAdmin(name: string, ...services: string[]): Resource {
  return role(name, { assumeRolePolicy: trust({ Service: services }), inlinePolicies: inline(doc(allow('*'))) });
}

/** `permissions` of a user whose inline policies are `docs`, in a snapshot holding `others` too. */
export function permsWith(others: Resource[], ...docs: Doc[]): Record<string, unknown> {
  return fact(user('u', { inlinePolicies: inline(...docs) }), 'permissions', others);
}
