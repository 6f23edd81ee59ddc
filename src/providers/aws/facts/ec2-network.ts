import { arr, int, obj, str } from '../../../core/resource-types/schema-helpers';
import { type FactDef, UNKNOWN_VALUE } from '../../../facts/fact-types';

/** Remote administration services (CIS AWS Foundations 5.1–5.3): SSH over TCP, RDP over TCP and UDP. */
const ADMIN_SERVICES = [
  { port: 22, protocol: 'tcp', number: '6' },
  { port: 3389, protocol: 'tcp', number: '6' },
  { port: 3389, protocol: 'udp', number: '17' },
];
const WORLD = [
  { field: 'cidrBlock', cidr: '0.0.0.0/0' },
  { field: 'ipv6CidrBlock', cidr: '::/0' },
] as const;

interface Entry {
  ruleNumber: number;
  egress: boolean;
  protocol: string;
  ruleAction: 'allow' | 'deny';
  cidrBlock: string | null;
  ipv6CidrBlock: string | null;
  portRange: { from: number; to: number } | null;
}

/**
 * Network ACL ingress that lets the whole internet reach an administration port. Entries are
 * evaluated as AWS does — by rule number, first match wins — for traffic from an arbitrary internet
 * address: the first entry for 0.0.0.0/0 (or ::/0) covering the protocol and port decides. Entries
 * for narrower ranges only decide for their own addresses, so they never close a port to the world.
 */
export const ec2NaclPublicAdminIngress: FactDef = {
  type: 'aws.ec2.network-acl',
  name: 'publicAdminIngress',
  description: 'Administration services (SSH tcp/22, RDP tcp+udp/3389) that the ACL lets in from 0.0.0.0/0 or ::/0, after rule-number ordering.',
  schema: arr(obj({ port: int(), protocol: str(), source: str(), ruleNumber: int() })),
  dependsOn: ['entries'],
  compute(acl, ctx) {
    if (ctx.isUnknown(acl, 'entries')) return UNKNOWN_VALUE;
    const ingress = ((acl.properties.entries as Entry[] | undefined) ?? []).filter((e) => !e.egress).sort((a, b) => a.ruleNumber - b.ruleNumber);
    const out: { port: number; protocol: string; source: string; ruleNumber: number }[] = [];
    for (const world of WORLD) {
      for (const { port, protocol, number } of ADMIN_SERVICES) {
        const first = ingress.find(
          (e) =>
            e[world.field] === world.cidr &&
            (e.protocol === '-1' || e.protocol === number || e.protocol.toLowerCase() === protocol) &&
            (e.portRange === null || (e.portRange.from <= port && port <= e.portRange.to)),
        );
        if (first?.ruleAction === 'allow') out.push({ port, protocol, source: world.cidr, ruleNumber: first.ruleNumber });
      }
    }
    return out;
  },
};
