import type { Draft } from '../../../iac/draft';
import type { TfInstance } from '../../../iac/terraform-plan';
import { at, block, bool, int, isUnresolved, list, str, Unresolved } from '../../../iac/values';
import { gcpComputeFirewall, gcpComputeNetwork, gcpComputeSubnetwork } from '../types/compute';
import type { GcpContext } from './context';

/**
 * `google_compute_firewall`, `google_compute_network` and `google_compute_subnetwork` → the
 * Compute types, with Compute Engine's defaults where the code is silent (direction INGRESS,
 * priority 1000, an ingress rule with no source allows every source: 0.0.0.0/0, an egress rule
 * with no destination every destination). A `google_project` the code creates without
 * `auto_create_network = false` gets the auto-mode network `default`.
 */

const lastSegment = (v: string): string => v.split('/').pop() ?? v;

/** A network attribute (name, id or self link) as the network's name; through the reference when it is known only after apply. */
function networkName(ctx: GcpContext, inst: TfInstance): unknown {
  const v = inst.values.network;
  if (typeof v === 'string') return lastSegment(v);
  if (!isUnresolved(v)) return new Unresolved(`${inst.address} network is not set`);
  const nets = ctx.plan.resolve(inst, v, ['google_compute_network']);
  return nets.length === 1 && typeof nets[0].values.name === 'string' ? nets[0].values.name : v;
}

function rules(inst: TfInstance, attr: string): unknown {
  const v = inst.values[attr];
  // A value that is not a list of blocks is code Terraform rejects: what it allows is not known.
  if (v !== undefined && v !== null && !Array.isArray(v) && !isUnresolved(v)) return new Unresolved(`${inst.address} ${attr} is not a list of ${attr} blocks`);
  const blocks = list(v);
  if (isUnresolved(blocks)) return blocks;
  return blocks.map((b) => {
    const proto = str(at(b, 'protocol'), 'all');
    // ports is a list of strings: Terraform converts `ports = [22]` to "22" (configuration keeps the number).
    const ports = list(b, 'ports');
    return { protocol: typeof proto === 'string' ? proto.toLowerCase() : proto, ports: isUnresolved(ports) ? ports : ports.map((p) => (typeof p === 'number' ? String(p) : p)) };
  });
}

/** A list attribute the API fills when the code leaves it out: `fallback` then. */
function listOr(ctx: GcpContext, inst: TfInstance, attr: string, fallback: () => unknown[] | Unresolved): unknown {
  const v = ctx.setting(inst, attr);
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return fallback();
  return isUnresolved(v) ? v : list(v);
}

export function mapFirewalls(ctx: GcpContext): Draft[] {
  return ctx.plan.byType('google_compute_firewall').map((f) => {
    const v = f.values;
    const project = ctx.projectOf(f);
    const d = ctx.draft(gcpComputeFirewall, f, project);
    const name = str(v.name);
    if (typeof name === 'string') {
      d.id = `//compute.googleapis.com/projects/${project}/global/firewalls/${name}`;
      d.name = name;
    }
    d.set('name', name ?? new Unresolved(`${f.address} name is not set`));
    d.set('network', networkName(ctx, f));
    const direction = str(ctx.setting(f, 'direction'), 'INGRESS');
    d.set('direction', direction);
    d.set('priority', int(ctx.setting(f, 'priority'), 1000));
    d.set('disabled', bool(v.disabled, false));
    const sourceTags = list(v, 'source_tags');
    const sourceAccounts = list(v, 'source_service_accounts');
    // Compute Engine: an ingress rule with no source range, tag or service account applies to every source.
    const noSource = (): unknown[] | Unresolved => {
      if (isUnresolved(direction)) return direction;
      if (direction !== 'INGRESS') return [];
      if (isUnresolved(sourceTags)) return sourceTags;
      if (isUnresolved(sourceAccounts)) return sourceAccounts;
      return sourceTags.length === 0 && sourceAccounts.length === 0 ? ['0.0.0.0/0'] : [];
    };
    d.set('sourceRanges', listOr(ctx, f, 'source_ranges', noSource));
    d.set('destinationRanges', listOr(ctx, f, 'destination_ranges', () => (isUnresolved(direction) ? direction : direction === 'EGRESS' ? ['0.0.0.0/0'] : [])));
    d.set('sourceTags', sourceTags);
    d.set('targetTags', list(v, 'target_tags'));
    d.set('targetServiceAccounts', list(v, 'target_service_accounts'));
    d.set('allowed', rules(f, 'allow'));
    d.set('denied', rules(f, 'deny'));
    const log = block(v, 'log_config');
    d.set('logging', isUnresolved(log) ? log : log !== undefined ? true : bool(ctx.setting(f, 'enable_logging'), false));
    return d;
  });
}

function networkDraft(ctx: GcpContext, inst: TfInstance, project: string, name: unknown): Draft {
  const d = ctx.draft(gcpComputeNetwork, inst, project);
  if (typeof name === 'string') {
    d.id = `//compute.googleapis.com/projects/${project}/global/networks/${name}`;
    d.name = name;
  }
  d.set('name', name ?? new Unresolved(`${inst.address} name is not set`));
  return d;
}

export function mapNetworks(ctx: GcpContext): Draft[] {
  const out = ctx.plan.byType('google_compute_network').map((n) => {
    const v = n.values;
    const d = networkDraft(ctx, n, ctx.projectOf(n), str(v.name));
    d.set('autoCreateSubnetworks', bool(v.auto_create_subnetworks, true));
    // The provider no longer makes legacy networks; an old configuration's ipv4_range is one.
    const legacy = v.ipv4_range;
    d.set('legacy', isUnresolved(legacy) ? legacy : typeof legacy === 'string' && legacy !== '');
    const mode = str(ctx.setting(n, 'routing_mode'), 'REGIONAL');
    d.set('routingMode', mode);
    return d;
  });
  // A project created with its default network (auto_create_network defaults to true).
  for (const p of ctx.plan.byType('google_project')) {
    if (!ctx.creates(p)) continue;
    const auto = bool(p.values.auto_create_network, true);
    const id = p.values.project_id;
    if (auto === false) continue;
    const d = networkDraft(ctx, p, typeof id === 'string' ? id : ctx.projectOf(p, 'project_id'), 'default');
    if (isUnresolved(auto)) {
      for (const path of ['autoCreateSubnetworks', 'legacy', 'routingMode']) d.set(path, auto);
      d.markUnknown('name', `${p.address} auto_create_network is known only after apply: the default network may not be created`);
    } else {
      d.set('autoCreateSubnetworks', true);
      d.set('legacy', false);
      d.set('routingMode', 'REGIONAL');
    }
    out.push(d);
  }
  return out;
}

export function mapSubnetworks(ctx: GcpContext): Draft[] {
  return ctx.plan.byType('google_compute_subnetwork').map((s) => {
    const v = s.values;
    const project = ctx.projectOf(s);
    const region = ctx.regionOf(s);
    const d = ctx.draft(gcpComputeSubnetwork, s, project, region);
    const name = str(v.name);
    if (typeof name === 'string') {
      d.id = `//compute.googleapis.com/projects/${project}/regions/${region}/subnetworks/${name}`;
      d.name = name;
    }
    d.set('name', name ?? new Unresolved(`${s.address} name is not set`));
    d.set('network', networkName(ctx, s));
    d.set('ipCidrRange', str(v.ip_cidr_range, ''));
    d.set('purpose', str(ctx.setting(s, 'purpose'), 'PRIVATE'));
    const log = block(v, 'log_config');
    const legacy = bool(v.enable_flow_logs, false);
    const on = isUnresolved(log) ? log : log !== undefined ? true : legacy;
    d.set('flowLogs', on);
    if (on === true && log !== undefined) {
      const sampling = at(log, 'flow_sampling');
      d.set('flowLogsSampling', typeof sampling === 'number' ? Math.round(sampling * 100) : isUnresolved(sampling) ? sampling : 50);
      d.set('flowLogsMetadata', str(at(log, 'metadata'), 'INCLUDE_ALL_METADATA'));
    } else {
      d.set('flowLogsSampling', isUnresolved(on) ? on : on === true ? 50 : null);
      d.set('flowLogsMetadata', isUnresolved(on) ? on : on === true ? 'INCLUDE_ALL_METADATA' : null);
    }
    d.set('privateIpGoogleAccess', bool(v.private_ip_google_access, false));
    return d;
  });
}
