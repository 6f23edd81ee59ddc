import type { JsonSchema } from '../core/resource-types/schema-helpers';

/** What a property schema allows at a path: its JSON types, enum and format, or "anything". */
export interface SchemaAt {
  schema: JsonSchema;
  /** JSON types the value may have; null when the schema does not say (opaque documents). */
  types: Set<string> | null;
}

function typesOf(schema: JsonSchema): Set<string> | null {
  const t = schema.type;
  if (typeof t === 'string') return new Set(t === 'integer' ? ['integer', 'number'] : [t]);
  if (Array.isArray(t)) {
    const s = new Set<string>();
    for (const x of t as string[]) {
      s.add(x);
      if (x === 'integer') s.add('number');
    }
    return s;
  }
  const branches = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (branches) {
    const s = new Set<string>();
    for (const b of branches) {
      const bt = typesOf(b);
      if (bt === null) return null;
      bt.forEach((x) => s.add(x));
    }
    return s;
  }
  return null;
}

function branchesOf(schema: JsonSchema): JsonSchema[] {
  const b = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  return b ? b : [schema];
}

/** True when the schema says nothing about the structure below it (an opaque document). */
function isOpen(schema: JsonSchema): boolean {
  const branches = branchesOf(schema);
  return branches.some((b) => {
    const t = typesOf(b);
    return (t === null || t.has('object')) && b.properties === undefined && b.additionalProperties !== false && typeof b.additionalProperties !== 'object';
  });
}

export function describeSchema(s: SchemaAt): string {
  return s.types ? [...s.types].filter((t) => t !== 'integer' || !s.types!.has('number')).join(' | ') : 'any';
}

/**
 * Resolves `segs` inside an object schema. Returns the schema there, or an error message naming
 * the first segment that does not exist (with the fields that do), or that crosses an array.
 */
export function schemaAt(root: JsonSchema, segs: readonly string[]): SchemaAt | { error: string; hint: string } {
  let current: JsonSchema[] = [root];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    const next: JsonSchema[] = [];
    let sawArray = false;
    const known = new Set<string>();
    for (const s of current.flatMap(branchesOf)) {
      if (isOpen(s)) return { schema: {}, types: null };
      const props = s.properties as Record<string, JsonSchema> | undefined;
      if (props) Object.keys(props).forEach((k) => known.add(k));
      if (props && Object.prototype.hasOwnProperty.call(props, seg)) next.push(props[seg]);
      else if (typeof s.additionalProperties === 'object') next.push(s.additionalProperties as JsonSchema);
      const t = typesOf(s);
      if (t?.has('array')) sawArray = true;
    }
    if (next.length === 0) {
      const where = i === 0 ? '' : ` under '${segs.slice(0, i).join('.')}'`;
      if (sawArray && known.size === 0) {
        return { error: `'${segs.slice(0, i).join('.')}' is an array: use anyMatch, allMatch, noneMatch or count to look inside it`, hint: '' };
      }
      const list = [...known].sort();
      return { error: `no property '${seg}'${where}`, hint: list.length ? ` (has: ${list.join(', ')})` : '' };
    }
    current = next;
  }
  if (current.length === 1) return { schema: current[0], types: typesOf(current[0]) };
  const merged = new Set<string>();
  for (const s of current) {
    const t = typesOf(s);
    if (t === null) return { schema: current[0], types: null };
    t.forEach((x) => merged.add(x));
  }
  return { schema: { anyOf: current }, types: merged };
}

/** The element schema of an array schema (`items`), or null when it is not an array. */
export function itemsOf(s: SchemaAt): JsonSchema | null {
  if (s.types === null) return {};
  for (const b of branchesOf(s.schema)) {
    if (typesOf(b)?.has('array')) return (b.items as JsonSchema | undefined) ?? {};
  }
  return null;
}

/** Enumerated values allowed at this schema (null when unrestricted). */
export function enumOf(s: SchemaAt): unknown[] | null {
  const values: unknown[] = [];
  for (const b of branchesOf(s.schema)) {
    if (Array.isArray(b.enum)) values.push(...(b.enum as unknown[]));
    else if (typesOf(b)?.has('null') && typesOf(b)!.size === 1) values.push(null);
    else return null;
  }
  return values;
}

/** Whether a schema is a date (string with format date-time or date). */
export function isDate(s: SchemaAt): boolean {
  if (s.types === null) return true;
  return branchesOf(s.schema).some((b) => b.format === 'date-time' || b.format === 'date');
}
