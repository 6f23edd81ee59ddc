import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedFieldSelector,
  type Trail,
} from '@aws-sdk/client-cloudtrail';
import { ResourceDraft } from '../../../collect/resource-draft';
import type { Resource } from '../../../core/types';
import { awsCloudTrailTrail } from '../types/cloudtrail-trail';
import type { AccountContext } from './context';
import { iso } from './resource';

/** The calls that read a trail's details, in its home region. */
const DETAIL_OPS = ['cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors'];

interface TrailEntry {
  trail: Trail;
  owner: string;
  /** Accounts other than the owner in whose listings the trail appeared. */
  members: Set<string>;
  /** Account chosen to read status and selectors; null until one is. */
  reader: string | null;
  draft: ResourceDraft | null;
}

/**
 * Trails seen across the whole scan. A multi-region trail appears in every region's
 * DescribeTrails (shadow copies) and an organization trail in every member account: each is read
 * once — by its owner when the owner is scanned, else by the first member that sees it — and
 * emitted once, in its home region and owner account, listing the member accounts it served.
 */
export class TrailRegistry {
  private readonly trails = new Map<string, TrailEntry>();

  /** `scanned` holds the accounts this scan reads (their owners read their own trails). */
  constructor(private readonly scanned: ReadonlySet<string>) {}

  /** Notes that `account` sees `trail`; true when this account should read its details. */
  seen(account: string, trail: Trail): boolean {
    const arn = trail.TrailARN ?? '';
    const owner = arn.split(':')[4] ?? account;
    let e = this.trails.get(arn);
    if (!e) this.trails.set(arn, (e = { trail, owner, members: new Set(), reader: null, draft: null }));
    if (account !== owner) e.members.add(account);
    if (e.reader !== null) return false;
    if (account === owner || !this.scanned.has(owner)) {
      e.reader = account;
      return true;
    }
    return false;
  }

  setDetails(arn: string, draft: ResourceDraft): void {
    const e = this.trails.get(arn);
    if (e) e.draft = draft;
  }

  /** Every trail once. Trails nobody could read details for carry those paths as unknown. */
  resources(): Resource[] {
    const out: Resource[] = [];
    for (const [arn, e] of this.trails) {
      const d = e.draft ?? baseDraft(e.trail);
      if (!e.draft) for (const op of DETAIL_OPS) d.loseOperation(op);
      d.properties.memberAccounts = [...e.members].sort();
      out.push(d.finish({ id: arn, account: e.owner, region: e.trail.HomeRegion ?? 'unknown', name: e.trail.Name ?? arn }));
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : 1));
  }
}

function baseDraft(t: Trail): ResourceDraft {
  return new ResourceDraft(awsCloudTrailTrail, {
    name: t.Name ?? '',
    arn: t.TrailARN ?? '',
    homeRegion: t.HomeRegion ?? '',
    isMultiRegionTrail: t.IsMultiRegionTrail === true,
    isOrganizationTrail: t.IsOrganizationTrail === true,
    includeGlobalServiceEvents: t.IncludeGlobalServiceEvents === true,
    logFileValidationEnabled: t.LogFileValidationEnabled === true,
    kmsKeyId: t.KmsKeyId ?? null,
    s3BucketName: t.S3BucketName ?? '',
    s3KeyPrefix: t.S3KeyPrefix ?? null,
    snsTopicArn: t.SnsTopicARN ?? null,
    cloudWatchLogsLogGroupArn: t.CloudWatchLogsLogGroupArn ?? null,
    cloudWatchLogsRoleArn: t.CloudWatchLogsRoleArn ?? null,
    status: null,
    hasCustomEventSelectors: t.HasCustomEventSelectors === true,
    eventSelectors: [],
    advancedEventSelectors: [],
    memberAccounts: [],
  });
}

const FIELD_OPS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;

function fieldSelector(f: AdvancedFieldSelector): Record<string, unknown> {
  const out: Record<string, unknown> = { field: f.Field ?? '' };
  for (const k of FIELD_OPS) if (f[k] !== undefined) out[k[0].toLowerCase() + k.slice(1)] = f[k];
  return out;
}

/** Status and event selectors of one trail, read in its home region. */
async function readTrail(ctx: AccountContext, t: Trail): Promise<ResourceDraft> {
  const arn = t.TrailARN ?? '';
  const region = t.HomeRegion ?? ctx.homeRegion;
  const ct = ctx.clients.cloudtrail(region);
  const d = baseDraft(t);
  const spec = (operation: string) => ({ service: 'cloudtrail', operation, region, resourceId: arn });
  await Promise.all([
    ctx.calls.one(spec('GetTrailStatus'), (abortSignal) => ct.send(new GetTrailStatusCommand({ Name: arn }), { abortSignal })).then((r) => {
      if (!d.from(r)) return;
      d.properties.status = {
        isLogging: r.value?.IsLogging === true,
        latestDeliveryError: r.value?.LatestDeliveryError || null,
        latestDeliveryTime: iso(r.value?.LatestDeliveryTime),
        latestCloudWatchLogsDeliveryTime: iso(r.value?.LatestCloudWatchLogsDeliveryTime),
      };
    }),
    ctx.calls.one(spec('GetEventSelectors'), (abortSignal) => ct.send(new GetEventSelectorsCommand({ TrailName: arn }), { abortSignal })).then((r) => {
      if (!d.from(r)) return;
      const basic = r.value?.EventSelectors ?? [];
      const advanced = r.value?.AdvancedEventSelectors ?? [];
      d.properties.eventSelectors = basic.map((e) => ({
        readWriteType: e.ReadWriteType ?? 'All',
        includeManagementEvents: e.IncludeManagementEvents !== false,
        dataResources: (e.DataResources ?? []).map((x) => ({ type: x.Type ?? '', values: x.Values ?? [] })),
        excludeManagementEventSources: e.ExcludeManagementEventSources ?? [],
      }));
      d.properties.advancedEventSelectors = advanced.map((a) => ({ name: a.Name ?? null, fieldSelectors: (a.FieldSelectors ?? []).map(fieldSelector) }));
      d.properties.hasCustomEventSelectors = t.HasCustomEventSelectors ?? (basic.length > 0 || advanced.length > 0);
    }),
  ]);
  return d;
}

/** Trails visible in one region; details of those this account is to read. */
export async function collectTrails(ctx: AccountContext, region: string): Promise<void> {
  const r = await ctx.calls.one({ service: 'cloudtrail', operation: 'DescribeTrails', region }, (abortSignal) =>
    ctx.clients.cloudtrail(region).send(new DescribeTrailsCommand({ includeShadowTrails: true }), { abortSignal }),
  );
  if (!r.ok) return;
  await Promise.all(
    (r.value?.trailList ?? []).map(async (t) => {
      if (!t.TrailARN || !ctx.trails.seen(ctx.account, t)) return;
      ctx.trails.setDetails(t.TrailARN, await readTrail(ctx, t));
    }),
  );
}
