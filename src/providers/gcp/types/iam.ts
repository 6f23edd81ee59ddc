import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, dateTime, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/**
 * `gcp.iam.service-account`. Id: `//iam.googleapis.com/projects/<project>/serviceAccounts/<email>`;
 * region `global`. Keys are listed with the account (user-managed and system-managed).
 */
export const gcpServiceAccount: ResourceTypeDef = {
  type: 'gcp.iam.service-account',
  provider: 'gcp',
  description: 'A service account of a project with its keys.',
  scope: 'global',
  properties: obj({
    email: str(),
    uniqueId: str(),
    displayName: str(),
    disabled: bool(),
    kind: strEnum(
      ['default-compute', 'default-app-engine', 'user-managed'],
      'default-compute: <number>-compute@developer…; default-app-engine: <project>@appspot…; user-managed: every other account of the project',
    ),
    keys: arr(
      obj({
        keyId: str(),
        keyType: strEnum(['USER_MANAGED', 'SYSTEM_MANAGED']),
        origin: nullable(strEnum(['GOOGLE_PROVIDED', 'USER_PROVIDED']), 'who made the key material; null when not told'),
        validAfter: nullable(dateTime(), 'creation time'),
        validBefore: nullable(dateTime(), 'expiry; keys without expiry show year 9999'),
        disabled: bool(),
      }),
      'keys of the account (ListServiceAccountKeys)',
    ),
  }),
  operations: [
    { op: 'iam:ListServiceAccounts', lists: true },
    { op: 'iam:ListServiceAccountKeys', paths: ['keys'] },
  ],
  runtimeOnly: ['uniqueId', 'kind'],
};
