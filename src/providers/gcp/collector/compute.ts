import { ResourceDraft } from '../../../collect/resource-draft';
import { gcpComputeFirewall, gcpComputeNetwork, gcpComputeSubnetwork } from '../types/compute';
import { apiEnabled, itemsOf, nextToken, noteApi, type ProjectContext } from './context';

interface Rule {
  IPProtocol?: string | null;
  ports?: string[] | null;
}
interface Firewall {
  name?: string | null;
  network?: string | null;
  direction?: string | null;
  priority?: number | null;
  disabled?: boolean | null;
  sourceRanges?: string[] | null;
  destinationRanges?: string[] | null;
  sourceTags?: string[] | null;
  targetTags?: string[] | null;
  targetServiceAccounts?: string[] | null;
  allowed?: Rule[] | null;
  denied?: Rule[] | null;
  logConfig?: { enable?: boolean | null } | null;
}

const lastSegment = (url: string | null | undefined): string => (url ?? '').split('/').pop() ?? '';
const rules = (list: Rule[] | null | undefined) => (list ?? []).map((r) => ({ protocol: (r.IPProtocol ?? 'all').toLowerCase(), ports: r.ports ?? [] }));

/** Firewall rules, networks and subnets of the project (Compute Engine). */
export async function collectCompute(ctx: ProjectContext): Promise<void> {
  if (!apiEnabled(ctx, 'compute', 'compute', 'ListFirewalls')) return;
  const project = ctx.projectId;
  const firewalls = await ctx.calls.pages(
    { service: 'compute', operation: 'ListFirewalls', region: 'global', list: 'items' },
    (pageToken, o) => ctx.clients.firewalls().list({ project, maxResults: 500, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
    nextToken,
  );
  noteApi(ctx, 'compute', firewalls);
  if (ctx.apis.get('compute') === 'not-enabled') return;
  if (firewalls.ok) {
    for (const f of itemsOf<Firewall>(firewalls.value)) {
      const name = f.name ?? '';
      const d = new ResourceDraft(gcpComputeFirewall, {
        name,
        network: lastSegment(f.network),
        direction: f.direction === 'EGRESS' ? 'EGRESS' : 'INGRESS',
        priority: Number(f.priority ?? 1000),
        disabled: f.disabled === true,
        sourceRanges: f.sourceRanges ?? [],
        destinationRanges: f.destinationRanges ?? [],
        sourceTags: f.sourceTags ?? [],
        targetTags: f.targetTags ?? [],
        targetServiceAccounts: f.targetServiceAccounts ?? [],
        allowed: rules(f.allowed),
        denied: rules(f.denied),
        logging: f.logConfig?.enable === true,
      });
      if (f.direction !== 'EGRESS' && f.direction !== 'INGRESS') d.lose('direction');
      if ((f.allowed ?? []).some((r) => !r.IPProtocol)) d.lose('allowed');
      await ctx.emit(d.finish({ id: `//compute.googleapis.com/projects/${project}/global/firewalls/${name}`, account: project, region: 'global', name }));
    }
  }
  const [networks, subnets] = await Promise.all([
    ctx.calls.pages(
      { service: 'compute', operation: 'ListNetworks', region: 'global', list: 'items' },
      (pageToken, o) => ctx.clients.networks().list({ project, maxResults: 500, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false }),
      nextToken,
    ),
    ctx.calls.pages(
      { service: 'compute', operation: 'AggregatedListSubnetworks', region: 'global', list: 'items' },
      async (pageToken, o) => {
        // The client offers aggregated lists only as an iterator; its page call is used directly, one page at a time.
        const client = ctx.clients.subnetworks();
        await client.initialize();
        const call = (client as unknown as { innerApiCalls: Record<string, (req: unknown, opts: unknown) => Promise<unknown[]>> }).innerApiCalls.aggregatedList;
        return call({ project, maxResults: 500, ...(pageToken ? { pageToken } : {}) }, { ...o, autoPaginate: false });
      },
      nextToken,
    ),
  ]);
  if (networks.ok) {
    for (const n of itemsOf<{ name?: string; autoCreateSubnetworks?: boolean | null; IPv4Range?: string | null; routingConfig?: { routingMode?: string | null } | null }>(networks.value)) {
      const name = n.name ?? '';
      const d = new ResourceDraft(gcpComputeNetwork, {
        name,
        autoCreateSubnetworks: n.autoCreateSubnetworks === true,
        legacy: !!n.IPv4Range,
        routingMode: n.routingConfig?.routingMode === 'GLOBAL' || n.routingConfig?.routingMode === 'REGIONAL' ? n.routingConfig.routingMode : null,
      });
      await ctx.emit(d.finish({ id: `//compute.googleapis.com/projects/${project}/global/networks/${name}`, account: project, region: 'global', name }));
    }
  }
  if (subnets.ok) {
    for (const page of subnets.value) {
      const raw = (Array.isArray(page) ? page[2] : undefined) as { items?: Record<string, { subnetworks?: Subnet[] }> } | undefined;
      const scoped = raw?.items ?? (Array.isArray(page) && !Array.isArray(page[0]) ? (page[0] as Record<string, { subnetworks?: Subnet[] }>) : {});
      for (const [scope, list] of Object.entries(scoped ?? {})) {
        for (const s of list?.subnetworks ?? []) await emitSubnet(ctx, scope.replace(/^regions\//, ''), s);
      }
    }
  }
}

interface Subnet {
  name?: string | null;
  network?: string | null;
  region?: string | null;
  ipCidrRange?: string | null;
  purpose?: string | null;
  enableFlowLogs?: boolean | null;
  logConfig?: { enable?: boolean | null; flowSampling?: number | null; metadata?: string | null } | null;
  privateIpGoogleAccess?: boolean | null;
}

async function emitSubnet(ctx: ProjectContext, scopeRegion: string, s: Subnet): Promise<void> {
  const name = s.name ?? '';
  const region = lastSegment(s.region) || scopeRegion;
  const flowLogs = s.logConfig?.enable ?? s.enableFlowLogs ?? false;
  const d = new ResourceDraft(gcpComputeSubnetwork, {
    name,
    network: lastSegment(s.network),
    ipCidrRange: s.ipCidrRange ?? '',
    purpose: s.purpose ?? 'PRIVATE',
    flowLogs: flowLogs === true,
    flowLogsSampling: flowLogs && typeof s.logConfig?.flowSampling === 'number' ? Math.round(s.logConfig.flowSampling * 100) : null,
    flowLogsMetadata: flowLogs ? (s.logConfig?.metadata ?? null) : null,
    privateIpGoogleAccess: s.privateIpGoogleAccess === true,
  });
  await ctx.emit(d.finish({ id: `//compute.googleapis.com/projects/${ctx.projectId}/regions/${region}/subnetworks/${name}`, account: ctx.projectId, region, name }));
}
