import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/**
 * `gcp.logging.sink`. Id: `//logging.googleapis.com/<parent>/sinks/<name>`; account: the owner
 * (a project id, `folders/<id>` or `organizations/<id>`). An aggregated sink (includeChildren on a
 * folder or organization) lists the scanned projects it serves in `memberAccounts`.
 */
export const gcpLoggingSink: ResourceTypeDef = {
  type: 'gcp.logging.sink',
  provider: 'gcp',
  description: 'A log sink (export) of a project, folder or organization.',
  scope: 'global',
  properties: obj({
    name: str(),
    parent: str('projects/<id>, folders/<id> or organizations/<id>'),
    destination: str('storage.googleapis.com/<bucket>, bigquery.googleapis.com/…, pubsub.googleapis.com/…, logging.googleapis.com/…'),
    destinationType: strEnum(['storage', 'bigquery', 'pubsub', 'logging', 'other']),
    destinationName: str('the bucket name for storage; the full destination path otherwise'),
    filter: str('empty: every log entry'),
    exclusions: arr(obj({ name: str(), filter: str(), disabled: bool() }), 'entries the sink drops'),
    includeChildren: bool('on a folder or organization: also routes the logs of everything below it'),
    disabled: bool(),
    memberAccounts: arr(str(), 'scanned projects whose logs this aggregated sink also routes'),
  }),
  operations: [{ op: 'logging:ListSinks', lists: true }],
  memberAccountsPath: 'memberAccounts',
  servedFrom: 'organization',
};

/** `gcp.logging.bucket`. Id: `//logging.googleapis.com/projects/<p>/locations/<l>/buckets/<id>`; region `global` (its location is a property). */
export const gcpLoggingBucket: ResourceTypeDef = {
  type: 'gcp.logging.bucket',
  provider: 'gcp',
  description: 'A Cloud Logging log bucket with its retention and lock.',
  scope: 'global',
  properties: obj({
    name: str('bucket id: _Default, _Required or a custom id'),
    location: str(),
    retentionDays: int(),
    locked: bool('retention cannot be reduced nor the bucket deleted'),
    lifecycleState: nullable(str(), 'ACTIVE, DELETE_REQUESTED, …'),
    cmekKeyName: nullable(str(), 'customer-managed key; null when Google-managed'),
  }),
  operations: [{ op: 'logging:ListBuckets', lists: true }],
  runtimeOnly: ['lifecycleState'],
};
