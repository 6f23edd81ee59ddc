import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package root (where package.json, rules/ and fixtures/ live), from src/ or dist/. */
export const PACKAGE_ROOT = join(__dirname, '..', '..');

export const TOOL_NAME = 'trustscan';
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
