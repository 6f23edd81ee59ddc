import type { FactDef } from '../../../facts/fact-types';
import { activityLogAlertWatchedOperations } from './monitor';
import { nsgInternetIngress, subscriptionRegionsWithoutNetworkWatcher } from './network';
import { roleDefinitionAdminScopes, subscriptionPrivilegedRoles } from './rbac';

/** Every Azure fact, keyed by resource type and name. */
export const AZURE_FACTS: FactDef[] = [subscriptionPrivilegedRoles, roleDefinitionAdminScopes, nsgInternetIngress, subscriptionRegionsWithoutNetworkWatcher, activityLogAlertWatchedOperations];
