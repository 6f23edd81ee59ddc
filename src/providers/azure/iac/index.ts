import type { IacAdapters, IacPlacement } from '../../../iac/adapter';
import { UNKNOWN_REGION } from '../../../iac/draft';
import type { TfInstance, TfPlan } from '../../../iac/terraform-plan';
import type { PlanView } from './plan-view';
import { azurermSubscriptions, subscriptionOf } from './subscription';
import { AZURERM_UNMAPPED, mapAzurermPlan } from './terraform';

/**
 * The plan as the azurerm mappers see it: an Azure resource deploys to the subscription the code
 * states (its id, its provider block, the client-config data source), else --account, else
 * unknown; its region is its own `location`, else --region.
 */
function azurermView(plan: TfPlan, doc: Record<string, unknown>, file: string, placement: IacPlacement): PlanView<TfInstance> {
  const subs = azurermSubscriptions(doc, plan.data);
  return {
    byType: (t) => plan.byType(t),
    resolve: (from, v, types) => plan.resolve(from, v, types),
    origin: (inst) => ({
      source: { kind: 'terraform', file: inst.file ?? file, line: inst.line, address: inst.address },
      account: subscriptionOf(inst, plan.providerKey(inst), subs, placement.account),
      region: placement.region ?? UNKNOWN_REGION,
    }),
  };
}

/** Azure infrastructure code: Terraform's `azurerm` provider. */
export const azureIac: IacAdapters = {
  provider: 'azure',
  terraform: {
    terraformProviders: ['azurerm'],
    unmapped: AZURERM_UNMAPPED,
    map({ plan, doc, file, placement }) {
      const view = azurermView(plan, doc, file, placement);
      return {
        resources: mapAzurermPlan(view),
        problems: [],
        origin: (inst) => {
          const o = view.origin(inst);
          const loc = inst.values.location;
          return { account: o.account, region: typeof loc === 'string' && loc !== '' ? loc.toLowerCase().replace(/\s+/g, '') : o.region };
        },
        account: subscriptionOf({ address: '', type: '', name: '', values: {}, line: 0 }, undefined, azurermSubscriptions(doc, plan.data), placement.account),
      };
    },
  },
};
