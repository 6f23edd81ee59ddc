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

  constructor(
    readonly template: CfnTemplate,
    readonly account: string,
    readonly region: string,
  ) {
    this.resolver = new Resolver(template.doc, account, region);
    for (const [logicalId, raw] of Object.entries((template.doc.Resources ?? {}) as Record<string, Record<string, unknown>>)) {
      if (this.resolver.created(logicalId) === false) continue;
      const props = this.resolver.resolve(raw.Properties ?? {});
      this.resources.push({
        logicalId,
        type: String(raw.Type),
        props: props !== null && typeof props === 'object' && !isUnresolved(props) ? (props as Record<string, unknown>) : {},
        line: template.lines.get(logicalId) ?? 1,
      });
    }
  }

  ofType(type: string): CfnResource[] {
    return this.resources.filter((r) => r.type === type);
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
   * unresolved still names it), else by a known value compared with `key(resource)`.
   */
  targets(value: unknown, type: string, key: (r: CfnResource) => unknown): CfnResource[] {
    const candidates = this.ofType(type);
    if (isUnresolved(value)) return candidates.filter((c) => value.refs.includes(c.logicalId));
    if (typeof value === 'string') return candidates.filter((c) => key(c) === value || c.logicalId === value);
    return [];
  }

  /** A value as a string when known, else as it is. */
  name(r: CfnResource, prop: string, what: string): string | Unresolved {
    const v = r.props[prop];
    if (typeof v === 'string') return v;
    if (isUnresolved(v)) return v;
    return new Unresolved(`${r.logicalId} has no ${prop}: CloudFormation generates the ${what} at deploy`, [r.logicalId]);
  }
}
