import type { Resource } from '../../../core/types';
import { nullable, str } from '../../../core/resource-types/schema-helpers';
import { type FactContext, type FactDef, type MaybeUnknown, UNKNOWN_VALUE } from '../../../facts/fact-types';

/**
 * The state of the KMS key a trail encrypts its log files with (`Enabled`, `Disabled`,
 * `PendingDeletion`, …): a disabled key, or one pending deletion, no longer protects the logs —
 * CloudTrail cannot deliver with it, and what it encrypted becomes unreadable once it is gone.
 *
 * Null when the trail names no key, and on infrastructure code, where a key's state is a fact of
 * the live account (its `keyState` is runtime-only). Unknown when the key is not in the snapshot
 * (another account that was not scanned, a listing that failed) or its state could not be read.
 */
function compute(trail: Resource, ctx: FactContext): { value: MaybeUnknown<string | null>; reasons: string[] } {
  if (trail.source.kind !== 'runtime') return { value: null, reasons: [] };
  if (ctx.isUnknown(trail, 'kmsKeyId')) return { value: UNKNOWN_VALUE, reasons: [ctx.whyUnknown(trail, 'kmsKeyId') ?? 'the trail’s KMS key could not be read'] };
  const keyId = trail.properties.kmsKeyId;
  if (typeof keyId !== 'string' || keyId === '') return { value: null, reasons: [] };
  const key =
    ctx.resourcesWhere('aws.kms.key', 'arn', keyId)[0] ??
    ctx.resourcesWhereInAccount('aws.kms.key', 'keyId', keyId, trail.account).find((k) => k.region === trail.region);
  if (!key) {
    const owner = /^arn:[^:]+:kms:[^:]*:(\d{12}):/.exec(keyId)?.[1] ?? trail.account;
    const listing = ctx.listingIncomplete('aws.kms.key', owner) ? ' (the key listing of that account is incomplete)' : ' (its account may not have been scanned)';
    return { value: UNKNOWN_VALUE, reasons: [`KMS key ${keyId} is not in the snapshot${listing}, so whether it is enabled is unknown`] };
  }
  if (ctx.isUnknown(key, 'keyState')) return { value: UNKNOWN_VALUE, reasons: [ctx.whyUnknown(key, 'keyState') ?? `the state of KMS key ${keyId} could not be read`] };
  return { value: String(key.properties.keyState), reasons: [] };
}

export const cloudTrailKmsKeyState: FactDef = {
  type: 'aws.cloudtrail.trail',
  name: 'kmsKeyState',
  description: "State of the trail's KMS key (Enabled, Disabled, PendingDeletion, …) from the snapshot's aws.kms.key; null without a key, or on infrastructure code.",
  schema: nullable(str()),
  dependsOn: ['kmsKeyId'],
  compute: (r, ctx) => compute(r, ctx).value,
  unknownReasons: (r, ctx) => compute(r, ctx).reasons,
};
