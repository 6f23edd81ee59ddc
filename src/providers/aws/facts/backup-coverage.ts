import type { Resource } from '../../../core/types';
import { arr, bool, dateTime, nullable, obj, str } from '../../../core/resource-types/schema-helpers';
import { glob } from './iam-policy';
import { and, type MaybeUnknown, or, type Tri, UNKNOWN_VALUE } from '../../../core/tri';
import type { FactContext, FactDef } from '../../../facts/fact-types';

/**
 * Whether AWS Backup protects a resource: a backup plan of the resource's account and region
 * assigns it (for EFS, automatic backups count: they are AWS Backup's own plan for it), and AWS Backup may back up its resource type there (region opt-in). A selection
 * assigns a resource that matches one of its `resources` ARN patterns or one of its `listOfTags`
 * (either), every one of its `conditions`, and none of its `notResources`.
 *
 * Unknown when a plan's selections, the resource's tags (where a selection tests tags), the plan
 * listing or the region's opt-in could not be read, when AWS Backup was not read in the region at
 * all (not attempted is not "no plans"), and on infrastructure code: which plan
 * assigns a resource is decided in the live account, by ARN and tags at backup time.
 */

interface Selection {
  selectionName: string;
  resources: string[];
  notResources: string[];
  listOfTags: { key: string; value: string }[];
  conditions: { operator: string; key: string; value: string }[];
}

interface BackupValue {
  inPlan: Tri;
  plans: string[] | typeof UNKNOWN_VALUE;
  lastBackupTime: MaybeUnknown<string | null>;
}

/** `*` (and `?` in StringLike) wildcards, matched as the IAM policy reader matches them. */
const like = (pattern: string, value: string): boolean => glob(pattern)(value);

function condition(c: Selection['conditions'][number], tags: Record<string, string> | null): Tri {
  if (tags === null) return UNKNOWN_VALUE;
  const v = tags[c.key];
  switch (c.operator) {
    case 'StringEquals':
      return v === c.value;
    case 'StringNotEquals':
      return v !== c.value;
    case 'StringLike':
      return v !== undefined && like(c.value, v);
    case 'StringNotLike':
      return v === undefined || !like(c.value, v);
    default:
      return UNKNOWN_VALUE;
  }
}

/** Whether one selection assigns the resource. `tags` is null when they could not be read. */
export function selects(s: Selection, arn: string, tags: Record<string, string> | null): Tri {
  const byArn = s.resources.some((p) => like(p, arn));
  const byTag: Tri = s.listOfTags.length === 0 ? false : tags === null ? UNKNOWN_VALUE : s.listOfTags.some((t) => tags[t.key] === t.value);
  let picked = or(byArn, byTag);
  for (const c of s.conditions) picked = and(picked, condition(c, tags));
  if (s.notResources.some((p) => like(p, arn))) return false;
  return picked;
}

/** AWS Backup's resource-type name (region opt-in) for a resource. */
function optInName(r: Resource): string {
  if (r.type === 'aws.dynamodb.table') return 'DynamoDB';
  if (r.type === 'aws.efs.file-system') return 'EFS';
  const engine = String(r.properties.engine ?? '');
  if (engine.startsWith('aurora')) return 'Aurora';
  if (engine === 'neptune') return 'Neptune';
  if (engine === 'docdb') return 'DocumentDB';
  return 'RDS';
}

const EFS_AUTOMATIC_PLAN = 'aws/efs/automatic-backup-plan';

function compute(r: Resource, ctx: FactContext): { value: BackupValue; reasons: string[] } {
  const unknown = (reason: string): { value: BackupValue; reasons: string[] } => ({ value: { inPlan: UNKNOWN_VALUE, plans: UNKNOWN_VALUE, lastBackupTime: UNKNOWN_VALUE }, reasons: [reason] });
  if (r.source.kind !== 'runtime') {
    // Code that turns on EFS automatic backups decides it; any other assignment is made at backup time.
    if (r.type === 'aws.efs.file-system' && !ctx.isUnknown(r, 'automaticBackups') && r.properties.automaticBackups === 'ENABLED') {
      return { value: { inPlan: true, plans: [EFS_AUTOMATIC_PLAN], lastBackupTime: UNKNOWN_VALUE }, reasons: ['when it was last backed up exists only in a live account'] };
    }
    return unknown('which backup plan assigns a resource is decided in the live account (by ARN and tags at backup time), not in infrastructure code');
  }
  const arn = typeof r.properties.arn === 'string' ? r.properties.arn : r.id;
  const tags = ctx.isUnknown(r, '$tags') ? null : (r.tags ?? {});
  const reasons: string[] = [];
  const plans: string[] = [];
  let found: Tri = false;
  for (const plan of ctx.resourcesInAccount('aws.backup.plan', r.account)) {
    if (plan.account !== r.account || plan.region !== r.region) continue;
    if (ctx.isUnknown(plan, 'selections')) {
      found = or(found, UNKNOWN_VALUE);
      reasons.push(`the selections of backup plan ${plan.name ?? plan.id} could not be read`);
      continue;
    }
    let hit: Tri = false;
    for (const s of (plan.properties.selections as Selection[] | null) ?? []) hit = or(hit, selects(s, arn, tags));
    if (hit === true) plans.push(String(plan.name ?? plan.id));
    if (hit === UNKNOWN_VALUE) reasons.push(`backup plan ${plan.name ?? plan.id} selects by tags, and the tags of ${r.name ?? r.id} could not be read`);
    found = or(found, hit);
  }
  // EFS automatic backups are AWS Backup's own plan for the file system (aws/efs/automatic-backup-plan).
  if (r.type === 'aws.efs.file-system' && found !== true) {
    if (ctx.isUnknown(r, 'automaticBackups')) {
      found = UNKNOWN_VALUE;
      reasons.push(ctx.whyUnknown(r, 'automaticBackups') ?? 'whether automatic backups are on could not be read');
    } else if (r.properties.automaticBackups === 'ENABLED') {
      found = true;
      plans.push(EFS_AUTOMATIC_PLAN);
    }
  }
  // The collector leaves AWS Backup's region settings wherever it read AWS Backup, whatever the
  // calls answered: without them AWS Backup was not read there at all (an older snapshot, a
  // service left out), and "no plan assigns it" would be a verdict nobody read.
  const region = ctx.resourcesInAccount('aws.backup.region', r.account).find((x) => x.account === r.account && x.region === r.region);
  if (found !== true && ctx.listingIncomplete('aws.backup.plan', r.account)) {
    found = UNKNOWN_VALUE;
    reasons.push(`the backup plans of account ${r.account} could not all be listed`);
  } else if (found === false && !region) {
    found = UNKNOWN_VALUE;
    reasons.push(`AWS Backup was not read in account ${r.account}, region ${r.region} (the snapshot has no AWS Backup settings there): which plans exist there is not known`);
  }
  // A plan skips resource types the region has not opted in to.
  if (found !== false) {
    const type = optInName(r);
    if (!region || ctx.isUnknown(region, 'resourceTypeOptIn')) {
      if (found === true) found = UNKNOWN_VALUE;
      reasons.push(`whether AWS Backup may back up ${type} resources in ${r.region} (region opt-in) could not be read`);
    } else if ((region.properties.resourceTypeOptIn as Record<string, boolean>)[type] === false) {
      found = false;
      plans.length = 0;
    }
  }
  const lastBackupTime: MaybeUnknown<string | null> =
    !region || ctx.isUnknown(region, 'protectedResources')
      ? UNKNOWN_VALUE
      : ((region.properties.protectedResources as { resourceArn: string; lastBackupTime: string | null }[]).find((x) => x.resourceArn === arn)?.lastBackupTime ?? null);
  return { value: { inPlan: found, plans: found === UNKNOWN_VALUE ? UNKNOWN_VALUE : plans, lastBackupTime }, reasons: found === UNKNOWN_VALUE || lastBackupTime === UNKNOWN_VALUE ? reasons : [] };
}

const cache = new WeakMap<FactContext, WeakMap<Resource, { value: BackupValue; reasons: string[] }>>();
function memo(r: Resource, ctx: FactContext): { value: BackupValue; reasons: string[] } {
  let perCtx = cache.get(ctx);
  if (!perCtx) cache.set(ctx, (perCtx = new WeakMap()));
  let v = perCtx.get(r);
  if (!v) perCtx.set(r, (v = compute(r, ctx)));
  return v;
}

function backupFact(type: string, inputs: string[] = []): FactDef {
  return {
    type,
    name: 'backup',
    description: 'Whether an AWS Backup plan of the same account and region assigns the resource (and the region lets AWS Backup back up its type), which plans, and when its latest recovery point was made.',
    schema: obj({
      inPlan: bool('a backup plan assigns the resource and its type is opted in'),
      plans: arr(str(), 'names of the plans that assign it'),
      lastBackupTime: nullable(dateTime(), 'latest recovery point (AWS Backup protected resources); null when it has none'),
    }),
    dependsOn: ['arn', ...inputs],
    compute: (r, ctx) => memo(r, ctx).value,
    unknownReasons: (r, ctx) => memo(r, ctx).reasons,
  };
}

export const rdsInstanceBackup = backupFact('aws.rds.db-instance');
export const rdsClusterBackup = backupFact('aws.rds.db-cluster');
export const dynamoDbTableBackup = backupFact('aws.dynamodb.table');
export const efsFileSystemBackup = backupFact('aws.efs.file-system', ['automaticBackups']);
