/**
 * google resource types that change settings the Google Cloud rules check, but that the mappers
 * do not read: their instances are reported as not read (a coverage gap on the runtime type), so
 * the rules on that type say UNKNOWN instead of nothing.
 */
export const GOOGLE_UNMAPPED: Readonly<Record<string, string>> = {
  google_sql_database_instance: 'gcp.sql.instance',
  google_logging_project_bucket_config: 'gcp.logging.bucket',
  google_logging_folder_bucket_config: 'gcp.logging.bucket',
  google_logging_organization_bucket_config: 'gcp.logging.bucket',
  google_logging_billing_account_bucket_config: 'gcp.logging.bucket',
  // Exclusions apply to a project's _Default sink, which code does not declare.
  google_logging_project_exclusion: 'gcp.logging.sink',
  google_logging_folder_exclusion: 'gcp.logging.sink',
  google_logging_organization_exclusion: 'gcp.logging.sink',
  // Removes a member from a project's policy (whatever grants it) / deprivileges default accounts.
  google_project_iam_member_remove: 'gcp.project',
  google_project_default_service_accounts: 'gcp.project',
};

/** The runtime types a google resource type makes or changes (for instances a plan gives no values for). */
const BY_PATTERN: [RegExp, string[]][] = [
  [/^google_storage_(bucket|bucket_iam_.*|bucket_acl|bucket_access_control|default_object_acl|default_object_access_control)$/, ['gcp.storage.bucket']],
  [/^google_project(_iam_.*)?$/, ['gcp.project']],
  [/^google_folder(_iam_.*)?$/, ['gcp.folder']],
  [/^google_organization_iam_.*$/, ['gcp.organization']],
  [/^google_kms_(key_ring|crypto_key)(_iam_.*)?$/, ['gcp.kms.crypto-key']],
  [/^google_logging_(project|folder|organization)_sink$/, ['gcp.logging.sink']],
  [/^google_compute_firewall$/, ['gcp.compute.firewall']],
  [/^google_compute_network$/, ['gcp.compute.network']],
  [/^google_compute_subnetwork$/, ['gcp.compute.subnetwork']],
  [/^google_service_account(_key)?$/, ['gcp.iam.service-account']],
];

export function affects(type: string): string[] | null {
  const unmapped = GOOGLE_UNMAPPED[type];
  if (unmapped) return [unmapped];
  for (const [re, types] of BY_PATTERN) if (re.test(type)) return types;
  return null;
}

/**
 * Attributes the google provider sets on every created instance (ids and names read back from
 * the API): a reference to one is never null after apply.
 */
const ALWAYS_SET: Record<string, readonly string[]> = {
  google_storage_bucket: ['id', 'name', 'url', 'self_link'],
  google_kms_key_ring: ['id', 'name'],
  google_kms_crypto_key: ['id', 'name'],
  google_service_account: ['id', 'name', 'email', 'member', 'unique_id'],
  google_compute_network: ['id', 'name', 'self_link'],
  google_project: ['id', 'project_id', 'number'],
  google_folder: ['id', 'name', 'folder_id'],
};

export function alwaysSet(type: string, attr: string): boolean {
  return ALWAYS_SET[type]?.includes(attr) ?? false;
}
