import type { AccountContext } from './context';
import { collectOpenSearch } from './opensearch';
import { collectRedshift } from './redshift';

/** Search and warehouse data stores in one region (issue 17): OpenSearch Service domains and Redshift clusters, one progress unit. */
export async function collectAnalytics(ctx: AccountContext, region: string): Promise<void> {
  await Promise.all([collectOpenSearch(ctx, region), collectRedshift(ctx, region)]);
}
