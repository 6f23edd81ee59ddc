import { arr, int, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** An IAM Condition on a binding (CEL): the binding only applies when it holds. */
export const condition = nullable(obj({ title: str(), expression: str(), description: str() }, undefined, ['description']), 'IAM Condition; null when unconditional');

export const binding = obj({
  role: str('roles/owner, roles/storage.objectViewer, organizations/1/roles/custom, …'),
  members: arr(str(), 'user:, group:, serviceAccount:, domain:, principal:, allUsers, allAuthenticatedUsers, deleted:…'),
  condition,
});

export const auditConfig = obj({
  service: str('a service name such as storage.googleapis.com, or allServices'),
  auditLogConfigs: arr(
    obj({
      logType: strEnum(['ADMIN_READ', 'DATA_WRITE', 'DATA_READ']),
      exemptedMembers: arr(str(), 'principals whose calls are not logged'),
    }),
  ),
});

/** The IAM policy of an organization, folder or project (read with requestedPolicyVersion 3). */
export const hierarchyPolicy = (description: string) =>
  nullable(
    obj(
    {
      version: int('policy version: 3 when a binding has a condition'),
      bindings: arr(binding),
      auditConfigs: arr(auditConfig, 'Data Access audit logging configuration'),
    },
    ),
    `${description}; null when it could not be read (the path is then unknown)`,
  );

/** The IAM policy of a resource (bucket, key): bindings only. */
export const resourcePolicy = (description: string) => nullable(obj({ version: int(), bindings: arr(binding) }), `${description}; null when it could not be read (the path is then unknown)`);
