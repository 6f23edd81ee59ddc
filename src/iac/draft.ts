import { formatPath, parsePath } from '../core/property-path';
import type { ResourceTypeDef } from '../core/resource-types/registry';
import { RUNTIME_ONLY_REASON, type Resource, type ResourceSource } from '../core/types';
import { isUnresolved } from './values';

/** Where an infrastructure-code resource was declared, and the account and region it deploys to. */
export interface Origin {
  source: Required<Pick<ResourceSource, 'kind' | 'file' | 'line' | 'address'>>;
  account: string;
  /** Region, or an Unresolved when neither the code nor the command line names it. */
  region: string;
}

export { RUNTIME_ONLY_REASON };

/** Parsed paths: mappings set the same few paths on every resource. */
const SEGMENTS = new Map<string, readonly string[]>();
function segments(path: string): readonly string[] {
  let segs = SEGMENTS.get(path);
  if (!segs) {
    segs = parsePath(path);
    if (SEGMENTS.size < 10000) SEGMENTS.set(path, segs);
  }
  return segs;
}

/**
 * One resource being assembled from infrastructure code. Every schema field must be `set`: a
 * known value, a derived provider default (say which in the mapping), or an Unresolved, which becomes
 * null plus an `unknown` path with its reason. Unresolved leaves inside arrays and objects become
 * unknown paths of their own (`ingress.1.fromPort`), so one unknown port does not hide the rest.
 */
export class Draft {
  readonly properties: Record<string, unknown> = {};
  private readonly unknown = new Map<string, string>();
  private readonly present = new Set<string>();
  id: string | undefined;
  name: string | undefined;
  tags: Record<string, string> | undefined;

  constructor(
    readonly def: ResourceTypeDef,
    readonly origin: Origin,
  ) {}

  /** Sets the property at dotted `path` (no indexes) to `value`. */
  set(path: string, value: unknown): this {
    const segs = segments(path);
    let obj = this.properties;
    for (let i = 0; i < segs.length - 1; i++) {
      const next = obj[segs[i]];
      if (next === null || next === undefined || typeof next !== 'object') obj[segs[i]] = {};
      obj = obj[segs[i]] as Record<string, unknown>;
    }
    obj[segs[segs.length - 1]] = this.clean(value, segs);
    for (const p of this.present) if (p === path || p.startsWith(`${path}.`)) this.present.delete(p);
    return this;
  }

  /**
   * Sets `path` to a value copied from the code as it is — no conversion, no default in its
   * place: when it is an Unresolved that is certainly set after deploy (a reference to a
   * resource's ARN or id), the path is listed as present too. A mapping that converts a value
   * (to a boolean, a number, a list) or puts something else in its place uses `set`: what it
   * makes of a set value may still be null.
   */
  setCopied(path: string, value: unknown): this {
    this.set(path, value);
    if (isUnresolved(value) && value.present) this.present.add(path);
    return this;
  }

  /** Marks a path unknown (its value stays as set, usually null). */
  markUnknown(path: string, reason: string): this {
    if (!this.unknown.has(path)) this.unknown.set(path, reason);
    return this;
  }

  /**
   * Tags from a map whose values may be unresolved: a known value is kept, an unknown one makes
   * its key unknown (`$tags.KEY`), so a rule that reads the tag gets UNKNOWN instead of "no tag".
   */
  addTags(map: unknown): void {
    if (map === null || map === undefined || typeof map !== 'object' || isUnresolved(map)) return;
    for (const [k, v] of Object.entries(map)) this.addTag(k, v);
  }

  addTag(key: string, value: unknown): void {
    if (typeof value === 'string') (this.tags ??= {})[key] = value;
    else if (isUnresolved(value)) this.markUnknown(formatPath(['$tags', key]), value.reason);
  }

  /**
   * Terraform tags: `tags_all` (tags plus provider default_tags) when known; when it is only
   * known after apply, the resource's own `tags` are certain but any other key may appear.
   */
  setTerraformTags(tagsAll: unknown, tags: unknown): void {
    if (isUnresolved(tagsAll)) {
      this.addTags(tags);
      this.markUnknown('$tags.*', tagsAll.reason);
    } else this.addTags(tagsAll ?? tags);
  }

  isUnknown(path: string): boolean {
    return this.unknown.has(path);
  }

  /**
   * Sets `paths` to null and unknown: data that only a live account has. The type's own
   * `runtimeOnly` paths are applied by `toResource`; a mapping calls this only for what is
   * runtime-only in one resource and not in its type (a value the code leaves to the account).
   */
  runtimeOnly(...paths: string[]): this {
    for (const p of paths) {
      this.set(p, null);
      // Whatever else made it unknown, code can never say it.
      for (const u of [...this.unknown.keys()]) if (u === p || u.startsWith(`${p}.`)) this.unknown.delete(u);
      this.unknown.set(p, RUNTIME_ONLY_REASON);
    }
    return this;
  }

  /** A copy of `value` with each Unresolved leaf null and its path unknown (one path stack, pushed and popped). */
  private clean(value: unknown, segs: readonly string[]): unknown {
    const path = [...segs];
    const walk = (v: unknown): unknown => {
      if (v === null || typeof v !== 'object') return v;
      if (isUnresolved(v)) {
        this.markUnknown(formatPath(path), v.reason);
        return null;
      }
      if (Array.isArray(v)) {
        const out = new Array<unknown>(v.length);
        for (let i = 0; i < v.length; i++) {
          path.push(String(i));
          out[i] = walk(v[i]);
          path.pop();
        }
        return out;
      }
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v)) {
        path.push(k);
        out[k] = walk((v as Record<string, unknown>)[k]);
        path.pop();
      }
      return out;
    };
    return walk(value);
  }

  /**
   * The type registry's `runtimeOnly` paths, read from the def so no mapping restates them; `*`
   * stands for every element of an array the code declares (`accessKeys.*.lastRotated`).
   */
  private applyTypeRuntimeOnly(): void {
    for (const p of this.def.runtimeOnly ?? []) {
      const segs = segments(p);
      if (!segs.includes('*')) {
        this.runtimeOnly(p);
        continue;
      }
      const expand = (value: unknown, i: number, done: string[]): void => {
        if (i === segs.length) {
          this.runtimeOnly(formatPath(done));
          return;
        }
        if (segs[i] !== '*') {
          // The leaf may be absent (it is then set to null); an element that is not an object (an
          // unknown one, null) has no fields to blank out.
          if (value !== null && typeof value === 'object' && !Array.isArray(value)) expand((value as Record<string, unknown>)[segs[i]], i + 1, [...done, segs[i]]);
          return;
        }
        if (Array.isArray(value)) value.forEach((el, k) => expand(el, i + 1, [...done, String(k)]));
      };
      expand(this.properties, 0, []);
    }
  }

  toResource(): Resource {
    this.applyTypeRuntimeOnly();
    const global = this.def.scope === 'global';
    const r: Resource = {
      id: this.id ?? `${this.origin.source.kind}:${this.origin.source.file}#${this.origin.source.address}`,
      type: this.def.type,
      provider: this.def.provider,
      account: this.origin.account,
      region: global ? 'global' : this.origin.region,
      source: { ...this.origin.source },
      properties: this.properties,
    };
    if (this.name !== undefined) r.name = this.name;
    if (this.tags !== undefined && Object.keys(this.tags).length > 0) r.tags = this.tags;
    if (this.unknown.size > 0) {
      r.unknown = [...this.unknown.keys()];
      r.unknownReasons = Object.fromEntries(this.unknown);
      if (this.present.size > 0) r.present = [...this.present];
    }
    return r;
  }
}

export const UNKNOWN_ACCOUNT = 'unknown';
export const UNKNOWN_REGION = 'unknown';
