import type { ErrorObject, ValidateFunction } from 'ajv';
import { ajvErrorPointer, createAjv, describeAjvError, escapePointer, unescapePointer } from './ajv';
import type { Problem } from './errors';
import { formatPath, isPathPrefix, parsePath, PathSyntaxError } from './property-path';
import type { ResourceTypeRegistry } from './resource-types/registry';
import {
  coverageSchema,
  metadataSchema,
  ndjsonHeaderSchema,
  ndjsonTrailerSchema,
  resourceSchema,
} from './snapshot-schema';
import type { Resource } from './types';

/** Where a value sits in the input: file, optional line (NDJSON), JSON pointer within. */
export interface Place {
  file: string;
  line?: number;
  pointer: string;
}

function problemsFromAjv(errors: ErrorObject[] | null | undefined, place: Place, skip?: (pointer: string) => boolean): Problem[] {
  const out: Problem[] = [];
  for (const e of errors ?? []) {
    let pointer = ajvErrorPointer(e);
    if (e.keyword === 'required') pointer = `${e.instancePath}/${escapePointer(String((e.params as { missingProperty: string }).missingProperty))}`;
    if (skip?.(pointer)) continue;
    const message =
      e.keyword === 'required' ? `missing required property '${(e.params as { missingProperty: string }).missingProperty}'` : describeAjvError(e);
    out.push({ file: place.file, line: place.line, pointer: place.pointer + pointer, message });
  }
  return out;
}

function isProblems(v: string[][] | Problem[]): v is Problem[] {
  return v.length > 0 && !Array.isArray(v[0]);
}

/**
 * Validates snapshot parts: the envelope with ajv, each resource's properties with its type's
 * schema, and the cross-field rules a schema cannot say (registered type, provider and region
 * consistent with the type, unknown paths well formed, ids unique).
 */
export class SnapshotValidator {
  private readonly ajv = createAjv();
  private readonly ajvAll = createAjv({ allErrors: true });
  private readonly metadata: ValidateFunction;
  private readonly resource: ValidateFunction;
  private readonly coverage: ValidateFunction;
  private readonly header: ValidateFunction;
  private readonly trailer: ValidateFunction;
  private readonly byType = new Map<string, ValidateFunction>();
  private readonly seen = new Set<string>();

  constructor(private readonly registry: ResourceTypeRegistry) {
    this.metadata = this.ajv.compile(metadataSchema);
    this.resource = this.ajv.compile(resourceSchema);
    this.coverage = this.ajv.compile(coverageSchema);
    this.header = this.ajv.compile(ndjsonHeaderSchema);
    this.trailer = this.ajv.compile(ndjsonTrailerSchema);
  }

  validateMetadata(value: unknown, place: Place): Problem[] {
    return this.metadata(value) ? [] : problemsFromAjv(this.metadata.errors, place);
  }

  validateHeader(value: unknown, place: Place): Problem[] {
    return this.header(value) ? [] : problemsFromAjv(this.header.errors, place);
  }

  validateTrailer(value: unknown, place: Place): Problem[] {
    return this.trailer(value) ? [] : problemsFromAjv(this.trailer.errors, place);
  }

  validateCoverage(value: unknown, place: Place): Problem[] {
    return this.coverage(value) ? [] : problemsFromAjv(this.coverage.errors, place);
  }

  private propertiesValidator(type: string): ValidateFunction | undefined {
    let v = this.byType.get(type);
    if (!v) {
      const def = this.registry.get(type);
      if (!def) return undefined;
      v = this.ajvAll.compile(def.properties);
      this.byType.set(type, v);
    }
    return v;
  }

  validateResource(value: unknown, place: Place): Problem[] {
    if (!this.resource(value)) return problemsFromAjv(this.resource.errors, place);
    const r = value as Resource;
    const at = (pointer: string, message: string): Problem[] => [
      { file: place.file, line: place.line, pointer: place.pointer + pointer, message },
    ];
    const def = this.registry.get(r.type);
    if (!def) return at('/type', `unknown resource type '${r.type}' (see 'trustscan types')`);
    if (def.provider !== r.provider) return at('/provider', `type ${r.type} belongs to provider '${def.provider}', not '${r.provider}'`);
    if (def.scope === 'global' && r.region !== 'global') return at('/region', `${r.type} is global: region must be 'global'`);
    if (def.scope === 'regional' && r.region === 'global') return at('/region', `${r.type} is regional: region must name a region`);

    /** Parses the paths of `field`, or gives the problem with the first that is malformed. */
    const paths = (field: 'unknown' | 'present'): string[][] | Problem[] => {
      const out: string[][] = [];
      for (const [i, p] of (r[field] ?? []).entries()) {
        try {
          out.push(parsePath(p));
        } catch (e) {
          if (e instanceof PathSyntaxError) return at(`/${field}/${i}`, e.message);
          throw e;
        }
      }
      return out;
    };
    const unknownSegs = paths('unknown');
    if (isProblems(unknownSegs)) return unknownSegs;
    // `present` says more about an unknown value (it is set): it is only meaningful for a
    // property path listed in `unknown`.
    const presentSegs = paths('present');
    if (isProblems(presentSegs)) return presentSegs;
    const listed = new Set(unknownSegs.map(formatPath));
    for (const [i, segs] of presentSegs.entries()) {
      const text = r.present![i];
      if (segs[0].startsWith('$')) return at(`/present/${i}`, `'${text}' is not a property path: only properties can be listed as present`);
      if (!listed.has(formatPath(segs))) return at(`/present/${i}`, `'${text}' is listed as present but not as unknown: a known value needs no 'present'`);
    }
    const validate = this.propertiesValidator(r.type)!;
    if (!validate(r.properties)) {
      // A value the collector could not read may be anything (often null): skip errors under unknown paths.
      const skip = (pointer: string): boolean => {
        if (unknownSegs.length === 0) return false;
        const segs = pointer.split('/').slice(1).map(unescapePointer);
        return unknownSegs.some((u) => isPathPrefix(u, segs));
      };
      const problems = problemsFromAjv(validate.errors, { ...place, pointer: `${place.pointer}/properties` }, skip);
      if (problems.length > 0) return problems;
    }
    const key = `${r.type}\u0000${r.id}`;
    if (this.seen.has(key)) return at('/id', `duplicate resource: ${r.type} '${r.id}' appears more than once`);
    this.seen.add(key);
    return [];
  }
}
