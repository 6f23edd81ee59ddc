import type { Resource } from '../../../core/types';
import { arr, dateTime, int, nullable, obj, str } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, UNKNOWN_VALUE } from '../../../facts/fact-types';

/**
 * Whether recovery from AWS Backup has been tried, per kind of resource it protects in a region:
 * for each resource type with recovery points (ListProtectedResources), the latest restore job of
 * that type that completed, and whose validation, where one was reported, did not fail or time
 * out. A restore test started by a restore testing plan and a restore started by hand both count:
 * either shows that a recovery point of that type could be turned back into a working resource.
 *
 * Unknown when the protected resources or the restore jobs could not be read. Restore jobs are
 * read for the collector's window only (`RESTORE_JOB_WINDOW_DAYS`); an older restore is not seen.
 */

interface Job {
  resourceType: string;
  status: string;
  creationDate: string;
  completionDate: string | null;
  restoreTestingPlanArn: string | null;
  validationStatus: string | null;
}

/** One entry per protected resource type. */
interface TypeRestores {
  resourceType: string;
  protectedResources: number;
  lastRestoredAt: string | null;
  lastRestoreTestingPlan: string | null;
  failedRestores: number;
}

const VALIDATION_FAILED = new Set(['FAILED', 'TIMED_OUT']);
const JOB_FAILED = new Set(['FAILED', 'ABORTED']);

const succeeded = (j: Job): boolean => j.status === 'COMPLETED' && !VALIDATION_FAILED.has(j.validationStatus ?? '');
const failed = (j: Job): boolean => JOB_FAILED.has(j.status) || (j.status === 'COMPLETED' && VALIDATION_FAILED.has(j.validationStatus ?? ''));

/** The per-type summary of a region's protected resources and restore jobs (pure; exported for tests). */
export function restoresByType(protectedResources: { resourceType: string }[], jobs: Job[]): TypeRestores[] {
  const counts = new Map<string, number>();
  for (const p of protectedResources) counts.set(p.resourceType, (counts.get(p.resourceType) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resourceType, n]) => {
      const ofType = jobs.filter((j) => j.resourceType === resourceType);
      // The completion date orders restores; a completed job without one falls back to its creation.
      const when = (j: Job): string => j.completionDate ?? j.creationDate;
      const latest = ofType.filter(succeeded).sort((a, b) => Date.parse(when(b)) - Date.parse(when(a)))[0];
      return {
        resourceType,
        protectedResources: n,
        lastRestoredAt: latest ? when(latest) : null,
        lastRestoreTestingPlan: latest?.restoreTestingPlanArn ?? null,
        failedRestores: ofType.filter(failed).length,
      };
    });
}

function reasons(r: Resource, ctx: FactContext): string[] {
  return ['protectedResources', 'restoreJobs'].filter((p) => ctx.isUnknown(r, p)).map((p) => ctx.whyUnknown(r, p) ?? `${p} could not be read`);
}

export const backupRegionRestores: FactDef = {
  type: 'aws.backup.region',
  name: 'restoresByType',
  description:
    'Per resource type with recovery points in the region: how many resources, the latest restore of that type that completed (validation not failed), whether a restore testing plan started it, and how many restores failed.',
  schema: arr(
    obj({
      resourceType: str('AWS Backup resource type (RDS, Aurora, DynamoDB, EFS, EBS, …)'),
      protectedResources: int('resources of this type with at least one recovery point'),
      lastRestoredAt: nullable(dateTime(), 'completion of the latest successful restore of this type; null when none in the window read'),
      lastRestoreTestingPlan: nullable(str(), 'ARN of the restore testing plan behind that restore; null for a restore started by hand'),
      failedRestores: int('restore jobs of this type that failed, were aborted or failed validation'),
    }),
  ),
  dependsOn: ['protectedResources', 'restoreJobs'],
  compute(r, ctx) {
    if (ctx.isUnknown(r, 'protectedResources')) return UNKNOWN_VALUE;
    const protectedResources = (r.properties.protectedResources as { resourceType: string }[] | null) ?? [];
    // Nothing protected: nothing to have restored, whatever the (then unread) jobs are.
    if (protectedResources.length === 0) return [];
    if (ctx.isUnknown(r, 'restoreJobs')) return UNKNOWN_VALUE;
    return restoresByType(protectedResources, (r.properties.restoreJobs as Job[] | null) ?? []);
  },
  unknownReasons: reasons,
};
