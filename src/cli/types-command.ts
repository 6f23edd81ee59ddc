import { EXIT, UsageError } from '../core/errors';
import { type CliIO, emit } from './io';
import { builtinFacts, builtinRegistry } from '../catalog';

/** `trustscan types [type]`: the registered resource types, or one type's property schema, operations and facts. */
export async function typesCommand(type: string | undefined, io: CliIO): Promise<number> {
  const registry = builtinRegistry();
  if (!type) {
    const lines = registry.list().map((t) => `${t.type.padEnd(26)} ${t.scope.padEnd(8)} ${t.description}`);
    await emit(io, `${lines.join('\n')}\n`);
    return EXIT.OK;
  }
  const def = registry.get(type);
  if (!def) throw new UsageError(`unknown resource type '${type}' ('trustscan types' lists them)`);
  const facts = builtinFacts().forType(type).map((f) => ({ name: `facts.${f.name}`, description: f.description, schema: f.schema, dependsOn: f.dependsOn }));
  await emit(io, `${JSON.stringify({ ...def, facts }, null, 2)}\n`);
  return EXIT.OK;
}
