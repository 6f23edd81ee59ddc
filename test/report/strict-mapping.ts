/**
 * What a search index with dynamic, then strict, mapping does with JSON events (Elasticsearch and
 * OpenSearch infer a field's type from its first value, then reject a document whose value at
 * that field has another type): dotted keys nest, arrays are transparent (a field holds scalars or
 * objects, not arrays), null is no value. Records, per field, the types seen and one event that
 * brought each, so a conflict names both sides.
 */
export class StrictMapping {
  private readonly fields = new Map<string, Map<string, string>>();

  add(event: unknown, origin: string): void {
    this.walk(event, '', origin);
  }

  private walk(v: unknown, path: string, origin: string): void {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      for (const x of v) this.walk(x, path, origin);
      return;
    }
    const type = typeof v === 'object' ? 'object' : typeof v;
    if (path) {
      let seen = this.fields.get(path);
      if (!seen) this.fields.set(path, (seen = new Map()));
      if (!seen.has(type)) seen.set(type, origin);
    }
    if (type === 'object') for (const [k, x] of Object.entries(v as object)) this.walk(x, path ? `${path}.${k}` : k, origin);
  }

  /** Fields given more than one type, each as `field: type (origin) vs type (origin)`. */
  conflicts(): string[] {
    return [...this.fields].filter(([, t]) => t.size > 1).map(([f, t]) => `${f}: ${[...t].map(([type, o]) => `${type} (${o})`).join(' vs ')}`);
  }

  get size(): number {
    return this.fields.size;
  }
}
