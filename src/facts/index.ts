import type { FactDef } from './fact-types';

export class FactRegistry {
  private readonly byKey = new Map<string, FactDef>();
  constructor(defs: readonly FactDef[]) {
    for (const d of defs) {
      const key = `${d.type}\u0000${d.name}`;
      if (this.byKey.has(key)) throw new Error(`fact ${d.type} facts.${d.name} registered twice`);
      this.byKey.set(key, d);
    }
  }
  get(type: string, name: string): FactDef | undefined {
    return this.byKey.get(`${type}\u0000${name}`);
  }
  forType(type: string): FactDef[] {
    return [...this.byKey.values()].filter((d) => d.type === type);
  }
}

export { UNKNOWN_VALUE, type MaybeUnknown, type FactDef, type FactContext } from './fact-types';
