import type { Problem } from '../../../../core/errors';
import type { ResourceTypeDef } from '../../../../core/resource-types/registry';
import { Draft, type Origin } from '../../../../iac/draft';
import { PolicyError, policyDocument } from '../policy';
import { isUnresolved, Unresolved } from '../../../../iac/values';
import { Resolver } from './intrinsics';
import type { CfnTemplate } from './template';

/** One resource of a template, its Properties resolved. */
export interface CfnResource {
  logicalId: string;
  type: string;
  props: Record<string, unknown>;
  line: number;
}

export class CfnContext {
  readonly resolver: Resolver;
  readonly resources: CfnResource[] = [];
  readonly problems: Problem[] = [];
  private readonly byType = new Map<string, CfnResource[]>();
  private readonly byId = new Map<string, CfnResource>();
  /** Per type and key function: resources by the key's (string) value. */
  private readonly keyIndexes = new Map<string, Map<string, CfnResource[]>>();
  private readonly cycles = new Set<string>();

  constructor(
    readonly template: CfnTemplate,
    readonly account: string,
    readonly region: string,
  ) {
    this.resolver = new Resolver(template.doc, account, region, (kind, chain) => this.cycle(kind, chain));
    for (const [logicalId, raw] of Object.entries((template.doc.Resources ?? {}) as Record<string, Record<string, unknown>>)) {
      if (this.resolver.created(logicalId) === false) continue;
      const props = this.resolver.resolveResource(logicalId, raw.Properties ?? {});
      const r: CfnResource = {
        logicalId,
        type: String(raw.Type),
        props: props !== null && typeof props === 'object' && !isUnresolved(props) ? (props as Record<string, unknown>) : {},
        line: template.lines.get(logicalId) ?? 1,
      };
      this.resources.push(r);
      this.byId.set(logicalId, r);
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
    }
  }

  /** A cycle of references makes the template undeployable (CloudFormation: "Circular dependency"). */
  private cycle(kind: 'resource' | 'condition', chain: string[]): void {
    // One report per cycle, whichever member it was found from.
    const ring = chain.slice(0, -1);
    const start = ring.indexOf([...ring].sort()[0]);
    const key = `${kind} ${[...ring.slice(start), ...ring.slice(0, start)].join(' ')}`;
    if (this.cycles.has(key)) return;
    this.cycles.add(key);
    const first = chain[0];
    this.problems.push({
      file: this.template.file,
      line: kind === 'resource' ? this.template.lines.get(first) : undefined,
      message:
        kind === 'resource'
          ? `${first}: circular reference: ${chain.join(' → ')} (CloudFormation rejects a template whose resources refer to each other in a circle)`
          : `Conditions.${first}: circular condition: ${chain.join(' → ')} (CloudFormation rejects conditions that refer to each other in a circle)`,
    });
  }

  ofType(type: string): CfnResource[] {
    return this.byType.get(type) ?? [];
  }

  /** A resource's Properties as the template writes them, before resolution. */
  raw(logicalId: string): Record<string, unknown> | undefined {
    const r = (this.template.doc.Resources as Record<string, { Properties?: Record<string, unknown> }> | undefined)?.[logicalId];
    return r?.Properties;
  }

  get(logicalId: string): CfnResource | undefined {
    return this.byId.get(logicalId);
  }

  origin(r: CfnResource): Origin {
    return { source: { kind: 'cloudformation', file: this.template.file, line: r.line, address: r.logicalId }, account: this.account, region: this.region };
  }

  draft(def: ResourceTypeDef, r: CfnResource): Draft {
    const d = new Draft(def, this.origin(r));
    d.name = r.logicalId;
    const tags = r.props.Tags;
    if (Array.isArray(tags)) for (const t of tags) if (t && typeof t.Key === 'string') d.addTag(t.Key, t.Value);
    return d;
  }

  policy(r: CfnResource, v: unknown): Record<string, unknown> | null | Unresolved {
    try {
      return policyDocument(v);
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      this.problems.push({ file: this.template.file, line: r.line, message: `${r.logicalId}: ${e.message}` });
      return new Unresolved(`${r.logicalId}: ${e.message}`);
    }
  }

  /**
   * The resources of `type` a property designates: by logical id (a Ref or GetAtt that stays
   * unresolved still names it), else by a known value compared with the property `prop` of each
   * (its name) or the logical id. Indexed: templates with tens of thousands of resources link in linear time.
   */
  targets(value: unknown, type: string, prop: string | null): CfnResource[] {
    if (isUnresolved(value)) {
      const out: CfnResource[] = [];
      for (const id of value.refs) {
        const r = this.byId.get(id);
        if (r && r.type === type && !out.includes(r)) out.push(r);
      }
      return out;
    }
    if (typeof value !== 'string') return [];
    const byKey = prop === null ? [] : (this.keyIndex(type, prop).get(value) ?? []);
    const byId = this.byId.get(value);
    return byId && byId.type === type && !byKey.includes(byId) ? [...byKey, byId] : byKey;
  }

  private keyIndex(type: string, prop: string): Map<string, CfnResource[]> {
    const k = `${type} ${prop}`;
    let index = this.keyIndexes.get(k);
    if (!index) {
      index = new Map();
      for (const r of this.ofType(type)) {
        const v = r.props[prop];
        if (typeof v !== 'string') continue;
        const l = index.get(v);
        if (l) l.push(r);
        else index.set(v, [r]);
      }
      this.keyIndexes.set(k, index);
    }
    return index;
  }

  /** A value as a string when known, else as it is. */
  name(r: CfnResource, prop: string, what: string): string | Unresolved {
    const v = r.props[prop];
    if (typeof v === 'string') return v;
    if (isUnresolved(v)) return v;
    return new Unresolved(`${r.logicalId} has no ${prop}: CloudFormation generates the ${what} at deploy`, [r.logicalId]);
  }
}
