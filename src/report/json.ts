import type { Finding, Results } from '../core/types';

/** The results contract as pretty-printed JSON. */
export function renderJson(results: Results): string {
  return `${JSON.stringify(results, null, 2)}\n`;
}

/** One finding per line: what a SIEM shipper reads. */
export function renderNdjsonLine(f: Finding): string {
  return `${JSON.stringify(f)}\n`;
}
