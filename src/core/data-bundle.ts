import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './hash';
import { PACKAGE_ROOT } from './version';

/**
 * The built-in rule and framework files, parsed and checked once at build time (`npm run build`
 * writes dist/data-bundle.json): a command then reads them from JSON instead of parsing YAML and
 * compiling their JSON Schemas on every start. An entry is used only when the file's text hashes
 * to the same value, so an edited file is always read from itself; other files (a user's rules or
 * frameworks) go through the full YAML path.
 */

export const DATA_BUNDLE_FILE = join(PACKAGE_ROOT, 'dist', 'data-bundle.json');
export const DATA_BUNDLE_FORMAT = 'trustscan-data-bundle-1';

export type BundleKind = 'rule' | 'framework';

/** The bundle's format: `<kind>:<SHA-256 of the file's text>` → the parsed, checked value. */
export interface DataBundle {
  format: typeof DATA_BUNDLE_FORMAT;
  entries: Record<string, unknown>;
}

let bundle: Map<string, unknown> | null | undefined;

function load(): Map<string, unknown> | null {
  if (bundle !== undefined) return bundle;
  try {
    const doc = JSON.parse(readFileSync(DATA_BUNDLE_FILE, 'utf8')) as DataBundle;
    bundle = doc.format === DATA_BUNDLE_FORMAT ? new Map(Object.entries(doc.entries)) : null;
  } catch {
    bundle = null; // not built (running from source): every file is read from its YAML
  }
  return bundle;
}

/** The key a file's text is bundled under. */
export function bundleKey(kind: BundleKind, text: string): string {
  return `${kind}:${sha256(text)}`;
}

/** The bundled value for a file's text, when the bundle has exactly this text. */
export function bundled<T>(kind: BundleKind, text: string): T | undefined {
  return load()?.get(bundleKey(kind, text)) as T | undefined;
}
