import type { IacAdapters } from '../../../iac/adapter';
import type { Draft } from '../../../iac/draft';
import { mapFirewalls, mapNetworks, mapSubnetworks } from './compute';
import { gcpConfigSupport } from './config-data';
import { GcpContext } from './context';
import { affects, alwaysSet, GOOGLE_UNMAPPED } from './coverage';
import { mapHierarchy } from './hierarchy';
import { mapKms } from './kms';
import { mapSinks } from './logging';
import { mapServiceAccounts } from './service-accounts';
import { mapBuckets } from './storage';

/** Every mapping of the google provider's resources, in the order their resources are listed. */
function googleDrafts(ctx: GcpContext): Draft[] {
  return [...mapHierarchy(ctx), ...mapServiceAccounts(ctx), ...mapBuckets(ctx), ...mapKms(ctx), ...mapSinks(ctx), ...mapFirewalls(ctx), ...mapNetworks(ctx), ...mapSubnetworks(ctx)];
}

/**
 * Google Cloud infrastructure code: Terraform's `google` and `google-beta` providers (plans and
 * configuration) → the Google Cloud resource types, so the same rules gate a pull request.
 */
export const gcpIac: IacAdapters = {
  provider: 'gcp',
  terraform: {
    terraformProviders: ['google'],
    unmapped: GOOGLE_UNMAPPED,
    affects,
    alwaysSet,
    configSupport: () => gcpConfigSupport(),
    map({ plan, file, placement }) {
      const ctx = new GcpContext(plan, file, placement);
      return {
        resources: googleDrafts(ctx).map((d) => d.toResource()),
        problems: [],
        origin: (inst) => ({ account: ctx.projectOf(inst), region: 'global' }),
        account: ctx.defaultProject(),
      };
    },
  },
};
