import type { FactDef } from './fact-types';
import { s3EffectivePublicAccessBlock, s3PublicAclGrants } from './aws-s3-public-access';
import { iamGroupPermissions, iamPolicyPermissions, iamRolePermissions, iamUserPermissions } from './aws-iam-facts';
import { ec2NaclPublicAdminIngress } from './aws-ec2-network';
import { iamRoleTrustAccess, kmsPolicyAccess, s3DenyInsecureTransport, s3PolicyAccess } from './aws-resource-policy';

/** Every built-in fact, keyed by resource type and name. */
export const BUILTIN_FACTS: FactDef[] = [
  s3EffectivePublicAccessBlock,
  s3PublicAclGrants,
  iamUserPermissions,
  iamRolePermissions,
  iamGroupPermissions,
  iamPolicyPermissions,
  s3PolicyAccess,
  s3DenyInsecureTransport,
  kmsPolicyAccess,
  iamRoleTrustAccess,
  ec2NaclPublicAdminIngress,
];

export class FactRegistry {
  private readonly byKey = new Map<string, FactDef>();
  constructor(defs: FactDef[] = BUILTIN_FACTS) {
    for (const d of defs) {
      const key = `${d.type}\u0000${d.name}`;
      if (this.byKey.has(key)) throw new Error(`fact ${d.type} facts.${d.name} registered twice`);
      this.byKey.set(key, d);
    }
  }
  get(type: string, name: string): FactDef | undefined {
    return this.byKey.get(`${type}\u0000${name}`);
  }
  forType(type: string): FactDef[] {
    return [...this.byKey.values()].filter((d) => d.type === type);
  }
}

export { UNKNOWN_VALUE, type FactDef, type FactContext } from './fact-types';
