import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { arr, bool, nullable, obj, str, strEnum } from '../../../core/resource-types/schema-helpers';

/** `gcp.sql.instance`. Id: `//sqladmin.googleapis.com/projects/<p>/instances/<name>`; region: its region. */
export const gcpSqlInstance: ResourceTypeDef = {
  type: 'gcp.sql.instance',
  provider: 'gcp',
  description: 'A Cloud SQL instance: network exposure, TLS and backups.',
  scope: 'regional',
  properties: obj({
    name: str(),
    databaseVersion: str('MYSQL_8_0, POSTGRES_15, SQLSERVER_2019_STANDARD, …'),
    state: nullable(str()),
    publicIp: bool('ipv4Enabled: the instance has a public IP address'),
    authorizedNetworks: arr(obj({ name: nullable(str()), value: str('CIDR') })),
    sslMode: strEnum(
      ['ALLOW_UNENCRYPTED_AND_ENCRYPTED', 'ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED'],
      'what connections must use: derived from sslMode, or from requireSsl on older instances',
    ),
    backupEnabled: bool('automated backups'),
    pointInTimeRecovery: bool(),
  }),
  operations: [{ op: 'sqladmin:ListInstances', lists: true }],
  runtimeOnly: ['state'],
};
