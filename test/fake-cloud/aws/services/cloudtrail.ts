import { type Ctx, FakeError, type Handler } from '../server';
import type { ScenarioAccount, ScenarioTrail } from '../scenario';

/** CloudTrail over JSON 1.1: trails (with shadow copies in other regions), their status and selectors. */

const epoch = (iso: string | null | undefined): number | undefined => (iso ? Date.parse(iso) / 1000 : undefined);

export const trailArn = (owner: string, t: ScenarioTrail): string => `arn:aws:cloudtrail:${t.homeRegion}:${owner}:trail/${t.name}`;

/** Trails the caller's account sees: its own, and its organization's organization trails. */
function visibleTrails(ctx: Ctx): { owner: ScenarioAccount; trail: ScenarioTrail }[] {
  const out: { owner: ScenarioAccount; trail: ScenarioTrail }[] = [];
  for (const t of ctx.account.trails ?? []) out.push({ owner: ctx.account, trail: t });
  const org = ctx.fake.scenario.organization;
  if (org && org.managementAccount !== ctx.accountId) {
    const mgmt = ctx.fake.account(org.managementAccount);
    for (const t of mgmt?.trails ?? []) if (t.isOrganizationTrail) out.push({ owner: mgmt!, trail: t });
  }
  return out;
}

function find(ctx: Ctx, nameOrArn: string): { owner: ScenarioAccount; trail: ScenarioTrail } {
  const hit = visibleTrails(ctx).find(({ owner, trail }) =>
    nameOrArn.startsWith('arn:') ? trailArn(owner.id, trail) === nameOrArn : trail.name === nameOrArn && trail.homeRegion === ctx.region && owner.id === ctx.accountId,
  );
  if (!hit) throw new FakeError('TrailNotFoundException', 400, `Unknown trail: ${nameOrArn} for the user: ${ctx.accountId}`);
  return hit;
}

export const cloudtrailHandlers: Record<string, Handler> = {
  DescribeTrails(ctx) {
    const shadows = ctx.json.includeShadowTrails !== false;
    const names: string[] | undefined = ctx.json.trailNameList;
    const trails = visibleTrails(ctx)
      .filter(({ trail }) => trail.homeRegion === ctx.region || (shadows && trail.isMultiRegionTrail))
      .filter(({ trail }) => !names?.length || names.includes(trail.name))
      .map(({ owner, trail: t }) => ({
        Name: t.name,
        S3BucketName: t.s3BucketName,
        ...(t.s3KeyPrefix ? { S3KeyPrefix: t.s3KeyPrefix } : {}),
        ...(t.snsTopicArn ? { SnsTopicARN: t.snsTopicArn, SnsTopicName: t.snsTopicArn.split(':').pop() } : {}),
        IncludeGlobalServiceEvents: t.includeGlobalServiceEvents ?? true,
        IsMultiRegionTrail: t.isMultiRegionTrail ?? false,
        HomeRegion: t.homeRegion,
        TrailARN: trailArn(owner.id, t),
        LogFileValidationEnabled: t.logFileValidationEnabled ?? false,
        ...(t.cloudWatchLogsLogGroupArn ? { CloudWatchLogsLogGroupArn: t.cloudWatchLogsLogGroupArn } : {}),
        ...(t.cloudWatchLogsRoleArn ? { CloudWatchLogsRoleArn: t.cloudWatchLogsRoleArn } : {}),
        ...(t.kmsKeyId ? { KmsKeyId: t.kmsKeyId } : {}),
        HasCustomEventSelectors: (t.eventSelectors?.length ?? 0) > 0 || (t.advancedEventSelectors?.length ?? 0) > 0,
        HasInsightSelectors: false,
        IsOrganizationTrail: t.isOrganizationTrail ?? false,
      }));
    return { trailList: trails };
  },

  GetTrailStatus(ctx) {
    const { trail } = find(ctx, String(ctx.json.Name ?? ''));
    const s = trail.status ?? { isLogging: true };
    return {
      IsLogging: s.isLogging,
      ...(s.latestDeliveryError ? { LatestDeliveryError: s.latestDeliveryError } : {}),
      ...(s.latestDeliveryTime ? { LatestDeliveryTime: epoch(s.latestDeliveryTime) } : {}),
      ...(s.latestCloudWatchLogsDeliveryTime ? { LatestCloudWatchLogsDeliveryTime: epoch(s.latestCloudWatchLogsDeliveryTime) } : {}),
      StartLoggingTime: 1_600_000_000,
    };
  },

  GetEventSelectors(ctx) {
    const { owner, trail } = find(ctx, String(ctx.json.TrailName ?? ''));
    const base = { TrailARN: trailArn(owner.id, trail) };
    if (trail.advancedEventSelectors?.length) {
      return {
        ...base,
        AdvancedEventSelectors: trail.advancedEventSelectors.map((a) => ({
          ...(a.name ? { Name: a.name } : {}),
          FieldSelectors: a.fieldSelectors.map((f) => {
            const out: Record<string, unknown> = { Field: f.field };
            for (const k of ['equals', 'startsWith', 'endsWith', 'notEquals', 'notStartsWith', 'notEndsWith']) {
              if (f[k] !== undefined) out[k[0].toUpperCase() + k.slice(1)] = f[k];
            }
            return out;
          }),
        })),
      };
    }
    const selectors = trail.eventSelectors ?? [{ readWriteType: 'All' as const, includeManagementEvents: true }];
    return {
      ...base,
      EventSelectors: selectors.map((e) => ({
        ReadWriteType: e.readWriteType,
        IncludeManagementEvents: e.includeManagementEvents,
        DataResources: (e.dataResources ?? []).map((d) => ({ Type: d.type, Values: d.values })),
        ExcludeManagementEventSources: e.excludeManagementEventSources ?? [],
      })),
    };
  },
};
