import { arr, bool, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';
import { type FactDef, type MaybeUnknown, UNKNOWN_VALUE } from '../../../facts/fact-types';
import { effectiveGrants } from './hierarchy-iam';

/**
 * `facts.auditLogging` of a project: the Data Access audit logging in force, which is the union of
 * the audit configs of the project and of every folder and organization above it. A log type is
 * on when some level turns it on; it is UNKNOWN when no readable level does and some level could
 * not be read. Exempted members are collected from every level, each with the level that named it.
 */

interface AuditLogConfig {
  logType?: unknown;
  exemptedMembers?: unknown;
}
interface AuditConfig {
  service?: unknown;
  auditLogConfigs?: AuditLogConfig[];
}

const TYPES = { ADMIN_READ: 'adminRead', DATA_READ: 'dataRead', DATA_WRITE: 'dataWrite' } as const;

export const projectAuditLogging: FactDef = {
  type: 'gcp.project',
  name: 'auditLogging',
  description: 'Data Access audit logging in force for the project, across the hierarchy.',
  schema: obj({
    allServices: obj(
      { adminRead: bool(), dataRead: bool(), dataWrite: bool() },
      'log types turned on for allServices at some level of the hierarchy',
    ),
    exemptions: arr(
      obj({ service: str(), logType: strEnum(['ADMIN_READ', 'DATA_READ', 'DATA_WRITE']), member: str(), level: str() }),
      'members exempted from a log type, at any level',
    ),
  }),
  dependsOn: ['iamPolicy', 'ancestors'],
  compute: (r, ctx) => {
    const e = effectiveGrants(r, ctx);
    const on = { adminRead: false, dataRead: false, dataWrite: false };
    const exemptions: unknown[] = [];
    for (const { level, policy } of e.policies ?? []) {
      const configs = (policy as { auditConfigs?: AuditConfig[] } | null)?.auditConfigs;
      if (!Array.isArray(configs)) continue;
      for (const c of configs) {
        // An audit config the code leaves unknown (null here) is counted below, as auditReasons.
        if (c === null || typeof c !== 'object') continue;
        for (const l of Array.isArray(c.auditLogConfigs) ? c.auditLogConfigs : []) {
          if (l === null || typeof l !== 'object') continue;
          const key = TYPES[l.logType as keyof typeof TYPES];
          if (!key) continue;
          if (c.service === 'allServices') on[key] = true;
          for (const m of Array.isArray(l.exemptedMembers) ? l.exemptedMembers : []) {
            if (typeof m === 'string') exemptions.push({ service: String(c.service), logType: l.logType, member: m, level });
          }
        }
      }
    }
    const open = e.levelsUnknown || e.auditReasons.length > 0;
    const tri = (v: boolean): MaybeUnknown<boolean> => (v ? true : open ? UNKNOWN_VALUE : false);
    if (open) exemptions.push(UNKNOWN_VALUE);
    return { allServices: { adminRead: tri(on.adminRead), dataRead: tri(on.dataRead), dataWrite: tri(on.dataWrite) }, exemptions };
  },
  unknownReasons: (r, ctx) => {
    const e = effectiveGrants(r, ctx);
    return [...e.levelReasons, ...e.auditReasons];
  },
};
