import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { gcpOrganization, gcpFolder, gcpProject } from './hierarchy';
import { gcpServiceAccount } from './iam';
import { gcpStorageBucket } from './storage';
import { gcpKmsCryptoKey } from './kms';
import { gcpLoggingBucket, gcpLoggingSink } from './logging';
import { gcpComputeFirewall, gcpComputeNetwork, gcpComputeSubnetwork } from './compute';
import { gcpSqlInstance } from './sql';

/** Every Google Cloud resource type. */
export const GCP_TYPES: ResourceTypeDef[] = [
  gcpOrganization,
  gcpFolder,
  gcpProject,
  gcpServiceAccount,
  gcpStorageBucket,
  gcpKmsCryptoKey,
  gcpLoggingSink,
  gcpLoggingBucket,
  gcpComputeFirewall,
  gcpComputeNetwork,
  gcpComputeSubnetwork,
  gcpSqlInstance,
];
