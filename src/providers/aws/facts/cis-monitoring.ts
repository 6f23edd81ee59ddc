import type { Resource } from '../../../core/types';
import { bool } from '../../../core/resource-types/schema-helpers';
import { and, or, type Tri, UNKNOWN_VALUE } from '../../../core/tri';
import type { FactContext, FactDef } from '../../../facts/fact-types';
import { CIS_EVENT_CLASSES, type EventClass } from './cis-event-classes';
import { type Parsed, parseFilterPattern, patternMatches } from './filter-pattern';

/**
 * CIS AWS Foundations v3.0.0 section 4: an account monitors a class of events when the whole
 * chain holds — a multi-region trail that is logging all management events delivers to a
 * CloudWatch Logs log group; a metric filter on that group catches every event of the class
 * (decided by running its pattern on sample events, see cis-event-classes.ts); an alarm with
 * actions enabled watches the filter's metric; and it notifies an SNS topic with at least one
 * confirmed subscription. Any chain will do.
 *
 * Three-valued: TRUE when one chain is proven; FALSE when none can exist on what the snapshot
 * shows completely; otherwise UNKNOWN, with the link that could not be read (a listing that
 * failed, a trail's status or a topic's subscriptions denied, a pattern trustscan cannot decide).
 * On infrastructure code a missing link is UNKNOWN: the account may hold it outside the code.
 */

interface Verdict {
  value: Tri;
  reasons: string[];
}

/** Whether the trail logs every management event, read and write, in every region. */
function trailQualifies(t: Resource, ctx: FactContext, reasons: string[]): Tri {
  const p = t.properties as Record<string, any>;
  const name = t.name ?? t.id;
  if (p.isMultiRegionTrail !== true) return false;
  if (typeof p.cloudWatchLogsLogGroupArn !== 'string' || !p.cloudWatchLogsLogGroupArn) {
    if (ctx.isUnknown(t, 'cloudWatchLogsLogGroupArn')) {
      reasons.push(`trail ${name}: its CloudWatch Logs log group is unknown`);
      return UNKNOWN_VALUE;
    }
    return false;
  }
  let out: Tri = true;
  if (ctx.isUnknown(t, 'status')) {
    reasons.push(`trail ${name}: whether it is logging is unknown (${ctx.whyUnknown(t, 'status') ?? 'status not read'})`);
    out = UNKNOWN_VALUE;
  } else if (p.status?.isLogging !== true) return false;
  if (ctx.isUnknown(t, 'eventSelectors') || ctx.isUnknown(t, 'advancedEventSelectors') || ctx.isUnknown(t, 'hasCustomEventSelectors')) {
    reasons.push(`trail ${name}: its event selectors are unknown`);
    return and(out, UNKNOWN_VALUE);
  }
  const basic = (p.eventSelectors ?? []) as { includeManagementEvents?: boolean; readWriteType?: string; excludeManagementEventSources?: string[] }[];
  const advanced = (p.advancedEventSelectors ?? []) as { fieldSelectors?: { field?: string; equals?: string[] }[] }[];
  const all =
    p.hasCustomEventSelectors === false ||
    basic.some((e) => e.includeManagementEvents === true && e.readWriteType === 'All' && (e.excludeManagementEventSources ?? []).length === 0) ||
    advanced.some((a) => {
      const fs = a.fieldSelectors ?? [];
      return fs.some((f) => f.field === 'eventCategory' && (f.equals ?? []).includes('Management')) && fs.every((f) => f.field === 'eventCategory');
    });
  return all ? out : false;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>[:*]` → its parts. */
function logGroupOf(arn: string): { region: string; account: string; name: string } | null {
  const m = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:(.+?)(?::\*)?$/.exec(arn);
  return m ? { region: m[1], account: m[2], name: m[3] } : null;
}

const parsedCache = new Map<string, Parsed>();
function parsed(pattern: string): Parsed {
  let p = parsedCache.get(pattern);
  if (!p) {
    p = parseFilterPattern(pattern);
    if (parsedCache.size > 10_000) parsedCache.clear();
    parsedCache.set(pattern, p);
  }
  return p;
}

/** Whether the pattern catches every sample of the class. */
export function catchesClass(pattern: string, cls: EventClass): { value: Tri; why: string | null } {
  const p = parsed(pattern);
  let value: Tri = true;
  for (const s of cls.samples) {
    const m = patternMatches(p, s);
    if (m === false) return { value: false, why: null };
    if (m === UNKNOWN_VALUE) value = UNKNOWN_VALUE;
  }
  if (value === UNKNOWN_VALUE) return { value, why: p.kind === 'unsupported' ? p.why : 'its verdict depends on behaviour CloudWatch does not document (a != on an absent field, or regex anchoring)' };
  return { value, why: null };
}

/** Whether a topic named by an alarm action has a confirmed subscriber. */
function topicNotifies(arn: string, ctx: FactContext, reasons: string[]): Tri {
  const topic = ctx.resourcesWhere('aws.sns.topic', 'arn', arn)[0];
  if (!topic) {
    const owner = arn.split(':')[4] ?? '';
    if (ctx.resourcesWhere('aws.account', 'accountId', owner).length === 0 || ctx.listingIncomplete('aws.sns.topic', owner)) {
      reasons.push(`SNS topic ${arn} is not in the snapshot (its account was not scanned, or its topics could not all be listed)`);
      return UNKNOWN_VALUE;
    }
    return false;
  }
  if (ctx.isUnknown(topic, 'subscriptionsConfirmed')) {
    reasons.push(`SNS topic ${arn}: whether it has a confirmed subscription is unknown (${ctx.whyUnknown(topic, 'subscriptionsConfirmed') ?? 'not read'})`);
    return UNKNOWN_VALUE;
  }
  return typeof topic.properties.subscriptionsConfirmed === 'number' && topic.properties.subscriptionsConfirmed > 0;
}

/** One log group's chains for one class. */
function groupMonitors(group: { region: string; account: string; name: string }, cls: EventClass, ctx: FactContext, reasons: string[]): Tri {
  let best: Tri = false;
  const filters = ctx.resourcesWhere('aws.logs.metric-filter', 'logGroupName', group.name).filter((f) => f.account === group.account && f.region === group.region);
  for (const f of filters) {
    const pattern = String(f.properties.filterPattern ?? '');
    const c = catchesClass(pattern, cls);
    if (c.value === false) continue;
    if (c.why) reasons.push(`metric filter ${f.name ?? f.id}: whether its pattern catches ${cls.what} is unknown: ${c.why}`);
    for (const m of (f.properties.metricTransformations ?? []) as { metricName: string; metricNamespace: string }[]) {
      const alarms = ctx
        .resourcesWhere('aws.cloudwatch.alarm', 'metricName', m.metricName)
        .filter((a) => a.account === group.account && a.region === group.region && a.properties.namespace === m.metricNamespace);
      for (const a of alarms) {
        if (a.properties.actionsEnabled !== true) continue;
        const topics = ((a.properties.alarmActions ?? []) as string[]).filter((x) => /^arn:[^:]+:sns:/.test(x));
        let notified: Tri = false;
        for (const t of topics) notified = or(notified, topicNotifies(t, ctx, reasons));
        best = or(best, and(c.value, notified));
        if (best === true) return true;
      }
    }
  }
  return withGaps(best, group, ctx, reasons);
}

/** A chain not proven while a listing it could run through failed is unknown, not absent. */
function withGaps(best: Tri, group: { account: string }, ctx: FactContext, reasons: string[]): Tri {
  if (best !== true) {
    const gaps = [
      ['aws.logs.metric-filter', 'metric filters'],
      ['aws.cloudwatch.alarm', 'alarms'],
    ].filter(([type]) => ctx.listingIncomplete(type, group.account));
    if (gaps.length) {
      reasons.push(`the ${gaps.map(([, w]) => w).join(' and ')} of account ${group.account} could not all be listed`);
      best = UNKNOWN_VALUE;
    }
  }
  return best;
}

function verdict(account: Resource, cls: EventClass, ctx: FactContext): Verdict {
  const reasons: string[] = [];
  let best: Tri = false;
  for (const t of ctx.resourcesInAccount('aws.cloudtrail.trail', account.account)) {
    const q = trailQualifies(t, ctx, reasons);
    if (q === false) continue;
    const group = logGroupOf(String(t.properties.cloudWatchLogsLogGroupArn ?? ''));
    if (!group) {
      if (q === UNKNOWN_VALUE && !t.properties.cloudWatchLogsLogGroupArn) best = or(best, UNKNOWN_VALUE);
      else if (t.source.kind !== 'runtime') {
        reasons.push(`trail ${t.name ?? t.id}: its log group is known only after deploy`);
        best = or(best, UNKNOWN_VALUE);
      }
      continue;
    }
    best = or(best, and(q, groupMonitors(group, cls, ctx, reasons)));
    if (best === true) return { value: true, reasons: [] };
  }
  if (ctx.listingIncomplete('aws.cloudtrail.trail', account.account)) {
    reasons.push(`the trails of account ${account.account} could not all be listed`);
    best = UNKNOWN_VALUE;
  }
  if (best === false && account.source.kind !== 'runtime') {
    reasons.push('infrastructure code declares only part of an account: the trail, filter, alarm or topic may exist outside it');
    best = UNKNOWN_VALUE;
  }
  if (best === UNKNOWN_VALUE) return { value: best, reasons: [...new Set(reasons)] };
  return { value: best, reasons: [] };
}

const cache = new WeakMap<FactContext, WeakMap<Resource, Map<string, Verdict>>>();

function memo(r: Resource, cls: EventClass, ctx: FactContext): Verdict {
  let perCtx = cache.get(ctx);
  if (!perCtx) cache.set(ctx, (perCtx = new WeakMap()));
  let perRes = perCtx.get(r);
  if (!perRes) perCtx.set(r, (perRes = new Map()));
  let v = perRes.get(cls.fact);
  if (!v) perRes.set(cls.fact, (v = verdict(r, cls, ctx)));
  return v;
}

/** One fact per CIS 4.x recommendation, on aws.account. */
export const CIS_MONITORING_FACTS: FactDef[] = CIS_EVENT_CLASSES.map((cls) => ({
  type: 'aws.account',
  name: cls.fact,
  description: `CIS ${cls.cis}: ${cls.what} reach someone — a logging multi-region trail delivers to a log group whose metric filter catches every such event, an alarm with actions watches its metric and notifies an SNS topic with a confirmed subscription.`,
  schema: bool(),
  dependsOn: [],
  compute: (r, ctx) => memo(r, cls, ctx).value,
  unknownReasons: (r, ctx) => memo(r, cls, ctx).reasons,
}));
