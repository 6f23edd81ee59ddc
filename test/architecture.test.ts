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

  /** Layers that work for every cloud: they know providers only through the plug-in contract. */
  const GENERIC = ['core', 'collect', 'engine', 'compliance', 'report', 'pipeline', 'suppress', 'config', 'facts', 'store', 'evidence'];
  const PROVIDER_WORDS = /\b(aws|gcp|azure|google|amazon|microsoft|arn|iam|s3|kms|cloudtrail)\b/i;

  /** Code without comments (string contents stay: a provider's name in a string is a provider named). */
  const code = (file: string): string[] =>
    readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ''))
      .split('\n')
      .map((l) => l.replace(/(^|[^:"'`\\])\/\/.*$/, '$1'));

  it('keeps providers behind the plug-in seam: generic layers import no provider and name none', () => {
    const layer = (f: string): string => relative(SRC, f).split('/')[0];
    const violations: string[] = [];
    for (const [f, targets] of graph) {
      if (!GENERIC.includes(layer(f))) continue;
      for (const t of targets) if (layer(t) === 'providers' || layer(t) === 'iac') violations.push(`${relative(SRC, f)} imports ${relative(SRC, t)}`);
      code(f).forEach((line, i) => {
        if (PROVIDER_WORDS.test(line)) violations.push(`${relative(SRC, f)}:${i + 1} names a provider: ${line.trim()}`);
      });
    }
    expect(violations).toEqual([]);
  });

  it('keeps the infrastructure-code readers generic: src/iac names no provider and reaches providers only through the plug-in list', () => {
    const pluginList = join(SRC, 'providers', 'index.ts');
    const violations: string[] = [];
    const iacFiles = files.filter((f) => relative(SRC, f).split('/')[0] === 'iac');
    // Every file of the readers, the Terraform configuration evaluator included: none is excused.
    expect(iacFiles.length).toBeGreaterThan(10);
    for (const f of iacFiles) {
      for (const t of graph.get(f) ?? []) {
        if (relative(SRC, t).split('/')[0] === 'providers' && t !== pluginList) violations.push(`${relative(SRC, f)} imports ${relative(SRC, t)}`);
      }
      // Type-only imports are erased but still couple the readers to a provider.
      for (const m of readFileSync(f, 'utf8').matchAll(/^import\s+type\s+[^'";]*?from\s+'(\.[^']+)'/gm)) {
        const t = resolve(dirname(f), m[1]);
        if (relative(SRC, t).split('/')[0] === 'providers' && `${t}.ts` !== pluginList) violations.push(`${relative(SRC, f)} imports ${relative(SRC, t)} (type)`);
      }
      code(f).forEach((line, i) => {
        if (PROVIDER_WORDS.test(line)) violations.push(`${relative(SRC, f)}:${i + 1} names a provider: ${line.trim()}`);
      });
    }
    expect(violations).toEqual([]);
  });

  it('keeps providers apart: a provider imports no other provider', () => {
    const providerOf = (f: string): string | undefined => {
      const parts = relative(SRC, f).split('/');
      return parts[0] === 'providers' && parts.length > 2 ? parts[1] : undefined;
    };
    const violations: string[] = [];
    for (const [f, targets] of graph) {
      const p = providerOf(f);
      if (!p) continue;
      for (const t of targets) {
        const q = providerOf(t);
        if (q && q !== p) violations.push(`${relative(SRC, f)} imports ${relative(SRC, t)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('loads no cloud SDK unless a collector is loaded: plug-in indexes and their IaC adapters reach no SDK at import time', () => {
    const sdk = /from '(@aws-sdk|@smithy|@google-cloud|googleapis|google-auth-library|@azure)\//;
    const reached = new Set<string>();
    const visit = (f: string): void => {
      if (reached.has(f)) return;
      reached.add(f);
      for (const t of graph.get(f) ?? []) visit(t);
    };
    // The IaC adapters a plug-in loads for `trustscan iac` read code, never a cloud: no SDK either.
    for (const f of files) if (/providers\/[^/]+\/(iac\/)?index\.ts$/.test(f) || f.endsWith(join('src', 'catalog.ts'))) visit(f);
    const offenders = [...reached].filter((f) => sdk.test(readFileSync(f, 'utf8').replace(/^import type .*$/gm, '')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });

  it('loads the bucket SDK only when a bucket is named: src/parts/bucket.ts is reached by no static import, and no other module outside the providers imports an SDK', () => {
    const bucket = join(SRC, 'parts', 'bucket.ts');
    const importers = [...graph].filter(([, targets]) => targets.includes(bucket)).map(([f]) => relative(SRC, f));
    expect(importers).toEqual([]);
    // It is loaded with `await import` where a file is sent to or fetched from a bucket.
    const lazy = files.filter((f) => /await import\('\.\/bucket'\)/.test(readFileSync(f, 'utf8'))).map((f) => relative(SRC, f));
    expect(lazy.sort()).toEqual([join('parts', 'remote-file.ts'), join('parts', 'store.ts')]);
    const sdk = /^import\s+(?!type\s)[^;]*?from\s+'(@aws-sdk|@smithy|@google-cloud|googleapis|google-auth-library|@azure)\//m;
    const offenders = files.filter((f) => relative(SRC, f).split('/')[0] !== 'providers' && f !== bucket && sdk.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
    expect(sdk.test(readFileSync(bucket, 'utf8'))).toBe(true);
  });

  it('logs through pino only: no console calls outside benchmarks', () => {
    const offenders = files.filter((f) => !f.includes(`${join('src', 'bench')}`) && /\bconsole\.(log|error|warn|info)\(/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
