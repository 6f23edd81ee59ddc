import type { FactDef } from '../../../facts/fact-types';
import { projectAuditLogging } from './audit-logging';
import { firewallInternetIngress } from './firewall';
import { hierarchyGrantFacts, projectDutyConflicts } from './hierarchy-iam';
import { bucketPublicAccess, keyPublicAccess } from './resource-access';

/** Every Google Cloud fact, keyed by resource type and name. */
export const GCP_FACTS: FactDef[] = [...hierarchyGrantFacts, projectDutyConflicts, projectAuditLogging, bucketPublicAccess, keyPublicAccess, firewallInternetIngress];
