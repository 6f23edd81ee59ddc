import { type Draft, UNKNOWN_ACCOUNT } from '../../../iac/draft';
import type { TfInstance } from '../../../iac/terraform-plan';
import { at, bool, isUnresolved, list, str, Unresolved } from '../../../iac/values';
import { destinationOf } from '../sink-destination';
import { gcpLoggingSink } from '../types/logging';
import { type GcpContext, stripPrefix } from './context';

/**
 * Log sinks of projects, folders and organizations (`google_logging_project_sink`,
 * `google_logging_folder_sink`, `google_logging_organization_sink`) → `gcp.logging.sink`, owned
 * by the project id, `folders/<id>` or `organizations/<id>` as the collector owns them. Which
 * projects an aggregated sink serves depends on the live hierarchy: it is not known from code.
 */

const SINKS: Record<string, { parent: (ctx: GcpContext, s: TfInstance) => string | Unresolved; children: boolean }> = {
  google_logging_project_sink: { parent: (ctx, s) => `projects/${ctx.projectOf(s)}`, children: false },
  google_logging_folder_sink: { parent: (_ctx, s) => container(s, 'folder', 'folders/'), children: true },
  google_logging_organization_sink: { parent: (_ctx, s) => container(s, 'org_id', 'organizations/'), children: true },
};

function container(s: TfInstance, attr: string, prefix: string): string | Unresolved {
  const v = s.values[attr];
  if (typeof v === 'string' && v !== '') return `${prefix}${stripPrefix(v, prefix)}`;
  return isUnresolved(v) ? v : new Unresolved(`${s.address} ${attr} is not set`);
}

export function mapSinks(ctx: GcpContext): Draft[] {
  const out: Draft[] = [];
  for (const [type, spec] of Object.entries(SINKS)) {
    for (const s of ctx.plan.byType(type)) {
      const v = s.values;
      const parent = spec.parent(ctx, s);
      const owner = typeof parent !== 'string' ? UNKNOWN_ACCOUNT : parent.startsWith('projects/') ? parent.slice('projects/'.length) : parent;
      const d = ctx.draft(gcpLoggingSink, s, owner);
      const name = str(v.name);
      if (typeof name === 'string' && typeof parent === 'string') d.id = `//logging.googleapis.com/${parent}/sinks/${name}`;
      if (typeof name === 'string') d.name = name;
      d.set('name', name ?? new Unresolved(`${s.address} name is not set`));
      d.set('parent', parent);
      const destination = str(v.destination);
      d.set('destination', destination ?? new Unresolved(`${s.address} destination is not set`));
      if (typeof destination === 'string') {
        const { destinationType, destinationName } = destinationOf(destination);
        d.set('destinationType', destinationType);
        d.set('destinationName', destinationName);
      } else {
        d.set('destinationType', destination ?? new Unresolved(`${s.address} destination is not set`));
        d.set('destinationName', destination ?? new Unresolved(`${s.address} destination is not set`));
      }
      d.set('filter', str(v.filter, ''));
      const exclusions = list(v, 'exclusions');
      d.set('exclusions', isUnresolved(exclusions) ? exclusions : exclusions.map((e) => ({ name: str(at(e, 'name'), ''), filter: str(at(e, 'filter'), ''), disabled: bool(at(e, 'disabled'), false) })));
      const include = spec.children ? bool(v.include_children, false) : false;
      d.set('includeChildren', include);
      d.set('disabled', bool(v.disabled, false));
      if (include === false) d.set('memberAccounts', []);
      else d.runtimeOnly('memberAccounts');
      out.push(d);
    }
  }
  return out;
}
