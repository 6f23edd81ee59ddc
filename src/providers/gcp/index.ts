import { join } from 'node:path';
import type { ProviderPlugin } from '../../core/provider-plugin';
import { PACKAGE_ROOT } from '../../core/version';
import { GCP_COLLECTOR_OPTIONS, GCP_CONFIG_SCHEMA } from './collector-options';
import { GCP_FACTS } from './facts/index';
import { GCP_TYPES } from './types/index';

/**
 * Google Cloud as a trustscan provider. Importing this module loads no Google Cloud client: the
 * collector's runtime (and with it the clients) is loaded by `collector.load()` only.
 */
export const gcpProvider: ProviderPlugin = {
  id: 'gcp',
  name: 'Google Cloud',
  shortName: 'GCP',
  unit: { singular: 'project', plural: 'projects' },
  types: GCP_TYPES,
  facts: GCP_FACTS,
  ruleDirs: [join(PACKAGE_ROOT, 'rules', 'gcp')],
  // Organization- and folder-level resources (aggregated sinks) are owned by the container
  // (`organizations/<id>`, `folders/<id>`), and serve only the projects below it.
  topology: { unitType: 'gcp.project', organizationIdPath: 'organizationId', ancestorsPath: 'ancestors' },
  // A project's effective IAM bindings include those inherited from its folders and organization.
  evaluationContext: { types: ['gcp.organization', 'gcp.folder'] },
  collector: {
    description: 'read a Google Cloud organization, folders or projects (Resource Manager, IAM, Cloud Storage, Cloud KMS, Logging, Compute, Cloud SQL, Service Usage) through the official clients, read-only',
    options: GCP_COLLECTOR_OPTIONS,
    configSchema: GCP_CONFIG_SCHEMA,
    load: async () => (await import('./collector/runtime')).gcpCollectorRuntime,
  },
  // Loaded by `trustscan iac` only (a synchronous require: the readers are synchronous).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  iac: { load: () => (require('./iac/index') as typeof import('./iac/index')).gcpIac },
};
