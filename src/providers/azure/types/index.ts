import type { ResourceTypeDef } from '../../../core/resource-types/registry';
import { azureSubscription } from './subscription';
import { azureRoleAssignment } from './role-assignment';
import { azureRoleDefinition } from './role-definition';
import { azureStorageAccount } from './storage-account';
import { azureKeyVault } from './key-vault';
import { azureFlowLog, azureNetworkWatcher, azureNsg } from './network';
import { azureActivityLogAlert } from './monitor';
import { azureSqlServer } from './sql-server';

/** Every Azure resource type. A collector may only emit registered types; a rule may only target them. */
export const AZURE_TYPES: ResourceTypeDef[] = [
  azureSubscription,
  azureRoleAssignment,
  azureRoleDefinition,
  azureStorageAccount,
  azureKeyVault,
  azureNsg,
  azureNetworkWatcher,
  azureFlowLog,
  azureActivityLogAlert,
  azureSqlServer,
];
