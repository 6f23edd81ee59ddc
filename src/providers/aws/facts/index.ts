import type { FactDef } from '../../../facts/fact-types';
import { s3EffectivePublicAccessBlock, s3PublicAclGrants } from './s3-public-access';
import { iamGroupPermissions, iamPolicyPermissions, iamRolePermissions, iamUserPermissions } from './iam-facts';
import { ec2NaclPublicAdminIngress } from './ec2-network';
import { ec2SecurityGroupWorldIngress } from './ec2-world-ingress';
import { cloudTrailKmsKeyState } from './cloudtrail-key';
import { backupVaultPolicyAccess, efsPolicyAccess, iamRoleTrustAccess, kmsPolicyAccess, rdsSnapshotAccess, s3DenyInsecureTransport, s3PolicyAccess, secretPolicyAccess } from './resource-policy';
import { dynamoDbTableBackup, efsFileSystemBackup, rdsClusterBackup, rdsInstanceBackup } from './backup-coverage';
import { snsPolicyAccess, sqsPolicyAccess, ecrPolicyAccess, lambdaPolicyAccess, openSearchPolicyAccess } from './resource-policy';
import { CIS_MONITORING_FACTS } from './cis-monitoring';
import { lambdaRuntimeDeprecation } from './lambda-runtime';
import { backupRegionRestores } from './backup-restores';

/** Every AWS fact, keyed by resource type and name. */
export const AWS_FACTS: FactDef[] = [
  s3EffectivePublicAccessBlock,
  s3PublicAclGrants,
  iamUserPermissions,
  iamRolePermissions,
  iamGroupPermissions,
  iamPolicyPermissions,
  s3PolicyAccess,
  s3DenyInsecureTransport,
  kmsPolicyAccess,
  iamRoleTrustAccess,
  ec2NaclPublicAdminIngress,
  ec2SecurityGroupWorldIngress,
  cloudTrailKmsKeyState,
  secretPolicyAccess,
  efsPolicyAccess,
  backupVaultPolicyAccess,
  rdsSnapshotAccess,
  rdsInstanceBackup,
  rdsClusterBackup,
  dynamoDbTableBackup,
  efsFileSystemBackup,
  backupRegionRestores,
  snsPolicyAccess,
  sqsPolicyAccess,
  ecrPolicyAccess,
  lambdaPolicyAccess,
  openSearchPolicyAccess,
  lambdaRuntimeDeprecation,
  ...CIS_MONITORING_FACTS,
];
