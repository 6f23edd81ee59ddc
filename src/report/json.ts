import { type Finding, RESULTS_SCHEMA_VERSION, type Results } from '../core/types';

/** Chunks of about this many characters are handed to the writer. */
const CHUNK = 1 << 16;

/**
 * A document whose findings array is written finding by finding: `whole` renders the results
 * with an empty findings array, which is split at `marker` (the empty array's text) so the
 * findings can be spliced in one at a time. A scan of hundreds of thousands of findings never
 * becomes one string (V8 caps a string near 512 MB).
 */
export function* spliceFindings(whole: string, marker: string, findings: readonly Finding[], item: (f: Finding) => string, open: string, close: string): Generator<string, void, void> {
  const at = whole.indexOf(marker);
  if (at === -1) throw new Error(`splice marker ${marker} not found`);
  let buf = whole.slice(0, at) + open;
  for (let i = 0; i < findings.length; i++) {
    buf += (i ? ',' : '') + item(findings[i]);
    if (buf.length >= CHUNK) {
      yield buf;
      buf = '';
    }
  }
  yield buf + (findings.length ? close : '') + whole.slice(at + marker.length - 1);
}

/** The results contract as pretty-printed JSON (the same text as JSON.stringify(results, null, 2)), in chunks. */
export function renderJsonChunks(results: Results): Generator<string, void, void> {
  const whole = `${JSON.stringify({ ...results, findings: [] }, null, 2)}\n`;
  return spliceFindings(whole, '\n  "findings": []', results.findings, (f) => `\n    ${JSON.stringify(f, null, 2).replace(/\n/g, '\n    ')}`, '\n  "findings": [', '\n  ');
}

/** The results contract as pretty-printed JSON. */
export function renderJson(results: Results): string {
  return [...renderJsonChunks(results)].join('');
}

/**
 * The results document written while the findings are produced, so that `--format json` needs
 * no more memory than ndjson: `head`, then `item` per finding, then `tail` with the scan,
 * summary and roll-up, which are known only at the end. The findings therefore come before
 * `scan` in the text; the document is the same results contract (JSON objects are unordered).
 */
export class JsonResultsStream {
  private count = 0;

  head(): string {
    return `{\n  "schemaVersion": ${JSON.stringify(RESULTS_SCHEMA_VERSION)},\n  "findings": [`;
  }

  item(f: Finding): string {
    return `${this.count++ ? ',' : ''}\n    ${JSON.stringify(f, null, 2).replace(/\n/g, '\n    ')}`;
  }

  tail(results: Results): string {
    const rest: Partial<Results> = { ...results };
    delete rest.schemaVersion;
    delete rest.findings;
    return `${this.count ? '\n  ' : ''}],${JSON.stringify(rest, null, 2).slice(1)}\n`;
  }
}
