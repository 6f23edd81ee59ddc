import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Structural rules of the code base that no compiler checks. */

const SRC = join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Runtime imports of a file (type-only imports are erased and cannot form a cycle at run time). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/gm)) {
    if (m[1]) continue;
    const target = resolve(dirname(file), m[2]);
    out.push(target.endsWith('.ts') ? target : `${target}.ts`);
  }
  return out;
}

describe('architecture', () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((f) => [f, imports(f).filter((t) => files.includes(t))]));

  it('has no circular imports', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 'visiting');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'visiting') cycles.push([...stack.slice(stack.indexOf(t)), t].map((x) => relative(SRC, x)).join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('keeps the pipeline layered: core imports no later stage, cli is imported by nothing', () => {
    const layer = (f: string): string => relative(SRC, f).split('/')[0];
    const violations: string[] = [];
    for (const [f, targets] of graph) {
      for (const t of targets) {
        if (layer(f) === 'core' && layer(t) !== 'core') violations.push(`${relative(SRC, f)} imports ${relative(SRC, t)}`);
        if (layer(t) === 'cli' && layer(f) !== 'cli') violations.push(`${relative(SRC, f)} imports ${relative(SRC, t)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('logs through pino only: no console calls outside benchmarks', () => {
    const offenders = files.filter((f) => !f.includes(`${join('src', 'bench')}`) && /\bconsole\.(log|error|warn|info)\(/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
