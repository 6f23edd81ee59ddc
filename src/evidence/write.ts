import { createHash } from 'node:crypto';
import { createWriteStream, promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import { writeChunk } from '../core/atomic-write';
import { safeCell } from '../report/csv';
import type { Signer } from '../store/signing';
import type { ChainData } from './build';
import { renderEvidenceHtml } from './html';
import type { EvidencePack } from './model';

/**
 * Writes an evidence pack folder: index.html, evidence.json, csv/*.csv, chain/* (what verification
 * needs) and manifest.json (the SHA-256 of every file), signed into manifest.sig when a key is
 * given. The folder is assembled under a temporary name beside it and renamed into place, so a
 * failure never leaves a half-written pack behind.
 */

export const MANIFEST = 'manifest.json';
export const SIGNATURE = 'manifest.sig';

export interface ManifestFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  format: 'trustscan-evidence-manifest/1';
  generatedAt: string;
  tool: EvidencePack['tool'];
  period: EvidencePack['period'];
  scope: EvidencePack['scope'];
  sampling: EvidencePack['sampling'];
  chain: EvidencePack['chain'];
  files: ManifestFile[];
}

export interface ManifestSignature {
  algorithm: 'Ed25519';
  keyId: string;
  publicKey: string;
  /** Base64 signature of the bytes of manifest.json. */
  signature: string;
}

/** A file written chunk by chunk (backpressure), hashed on the way. */
class HashedFile {
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private readonly out;
  constructor(readonly path: string, full: string) {
    this.out = createWriteStream(full);
    this.out.on('error', () => undefined);
  }
  async write(text: string): Promise<void> {
    const buf = Buffer.from(text, 'utf8');
    this.hash.update(buf);
    this.bytes += buf.length;
    const wait = writeChunk(this.out, text);
    if (wait) await wait;
  }
  async close(): Promise<ManifestFile> {
    if (this.out.errored) throw this.out.errored;
    this.out.end();
    await finished(this.out);
    return { path: this.path, sha256: this.hash.digest('hex'), bytes: this.bytes };
  }
}

const cell = (v: unknown): string => (v === undefined || v === null ? '' : typeof v === 'string' ? safeCell(v) : Array.isArray(v) ? safeCell(v.join(' ')) : String(v));

export function csvText(head: string[], rows: unknown[][]): string {
  return stringify([head, ...rows.map((r) => r.map(cell))]);
}

export interface PackFiles {
  [path: string]: string;
}

/** The CSV tables of a pack (one per table of the report). */
export function csvTables(p: EvidencePack): PackFiles {
  return {
    'csv/runs.csv': csvText(
      ['seq', 'run_id', 'day', 'collected_at', 'evaluated_at', 'recorded_at', 'accounts', 'complete', 'resources', 'pass', 'fail', 'unknown', 'muted', 'failed_calls', 'rule_pack', 'snapshot_sha256', 'chain_hash'],
      p.runs.map((r) => [r.seq, r.runId, r.day, r.collectedAt, r.evaluatedAt, r.recordedAt, r.scope.accounts.map((a) => `${a.provider}:${a.id}`), r.complete, r.resources, r.findings.PASS, r.findings.FAIL, r.findings.UNKNOWN, r.findings.MUTED, r.gaps.length, r.rulePack, r.snapshotSha256, r.chainHash]),
    ),
    'csv/run-gaps.csv': csvText(
      ['seq', 'run_id', 'provider', 'account', 'region', 'operation', 'outcome', 'message'],
      p.runs.flatMap((r) => r.gaps.map((g) => [r.seq, r.runId, g.provider, g.account, g.region, g.operation, g.outcome, g.message])),
    ),
    'csv/timeline.csv': csvText(
      ['framework', 'criterion', 'day', 'status', 'runs', 'accounts_without_run'],
      p.criteria.flatMap((c) => c.timeline.map((t) => [c.framework, c.id, t.day, t.status, t.runs, t.missing])),
    ),
    'csv/criteria.csv': csvText(
      ['framework', 'criterion', 'title', 'rules', 'days_pass', 'days_fail', 'days_unknown', 'days_manual', 'days_gap', 'population', 'sample_size', 'failures', 'accepted_risks', 'manual_note'],
      p.criteria.map((c) => [c.framework, c.id, c.title, c.rules, c.days.PASS, c.days.FAIL, c.days.UNKNOWN, c.days.MANUAL, c.days.GAP, c.population.size, c.sample.size, c.failures, c.acceptedRisks, c.manualNote]),
    ),
    'csv/gaps.csv': csvText(['day', 'kind', 'accounts_without_run'], p.gaps.map((g) => [g.day, g.kind, g.missing])),
    'csv/population.csv': csvText(
      ['framework', 'criterion', 'item_key', 'resource_id', 'resource_type', 'provider', 'account', 'region', 'name', 'rules', 'runs', 'pass', 'fail', 'unknown', 'muted', 'first_seen', 'last_seen'],
      p.populations.flatMap((pop) => pop.items.map((i) => [pop.framework, pop.criterion, i.key, i.resourceId, i.resourceType, i.provider, i.account, i.region, i.name, i.rules, i.runs, i.statusRuns.PASS, i.statusRuns.FAIL, i.statusRuns.UNKNOWN, i.statusRuns.MUTED, i.firstSeen, i.lastSeen])),
    ),
    'csv/listings.csv': csvText(
      ['framework', 'criterion', 'operation', 'resource_types', 'runs', 'calls_ok', 'calls_failed'],
      p.criteria.flatMap((c) => c.population.listings.map((l) => [c.framework, c.id, l.operation, l.resourceTypes, l.runs, l.ok, l.failed])),
    ),
    'csv/sample.csv': csvText(
      ['framework', 'criterion', 'position', 'rank_sha256', 'item_key', 'resource_id', 'resource_type', 'account', 'region', 'runs', 'pass', 'fail', 'unknown', 'muted'],
      p.criteria.flatMap((c) => c.sample.items.map((i, n) => [c.framework, c.id, n + 1, i.rank, i.key, i.resourceId, i.resourceType, `${i.provider}:${i.account}`, i.region, i.runs, i.statusRuns.PASS, i.statusRuns.FAIL, i.statusRuns.UNKNOWN, i.statusRuns.MUTED])),
    ),
    'csv/failures.csv': csvText(
      ['fingerprint', 'severity', 'rule', 'resource_id', 'resource_type', 'account', 'region', 'criteria', 'found', 'ended', 'resolution', 'days', 'muted', 'message'],
      p.failures.map((f) => [f.fingerprint, f.severity, f.ruleId, f.resourceId, f.resourceType, f.account, f.region, f.criteria, f.found, f.ended, f.resolution, f.days, f.muted, f.message]),
    ),
    'csv/accepted-risks.csv': csvText(
      ['reason', 'owner', 'approval', 'expires', 'source', 'first_applied', 'last_applied', 'findings', 'unknown_findings', 'rules', 'criteria', 'expired_while_failing'],
      p.acceptedRisks.map((r) => [r.reason, r.owner, r.approval, r.expires, r.source, r.firstApplied, r.lastApplied, r.findings, r.unknownFindings, r.rules, r.criteria, r.expiredWhileFailing]),
    ),
    'csv/rules.csv': csvText(
      ['rule', 'version', 'content_sha256', 'title', 'severity', 'in_force_from', 'in_force_to', 'runs'],
      p.rules.map((r) => [r.ruleId, r.version, r.contentHash, r.title, r.severity, r.from, r.to, r.runs]),
    ),
    'csv/rule-changes.csv': csvText(['day', 'rule', 'change', 'from_version', 'to_version'], p.ruleChanges.map((c) => [c.day, c.ruleId, c.change, c.fromVersion, c.toVersion])),
  };
}

async function writeLines(dir: string, path: string, items: Iterable<object>): Promise<ManifestFile> {
  const f = new HashedFile(path, join(dir, path));
  let buf = '';
  for (const item of items) {
    buf += `${JSON.stringify(item)}\n`;
    if (buf.length > 1 << 20) {
      await f.write(buf);
      buf = '';
    }
  }
  if (buf) await f.write(buf);
  return f.close();
}

async function writeText(dir: string, path: string, text: string): Promise<ManifestFile> {
  const f = new HashedFile(path, join(dir, path));
  for (let i = 0; i < text.length; i += 1 << 20) await f.write(text.slice(i, i + (1 << 20)));
  return f.close();
}

/** evidence.json, written piece by piece: the populations can be large. */
async function writeEvidenceJson(dir: string, p: EvidencePack): Promise<ManifestFile> {
  const f = new HashedFile('evidence.json', join(dir, 'evidence.json'));
  const { populations, ...rest } = p;
  // Compact JSON (the CSV files and the HTML are for reading), one population per line.
  const head = JSON.stringify(rest);
  await f.write(`${head.slice(0, -1)},"populations":[`);
  for (let i = 0; i < populations.length; i++) await f.write(`${i ? ',' : ''}\n${JSON.stringify(populations[i])}`);
  await f.write(']}\n');
  return f.close();
}

async function prepareTarget(dir: string): Promise<void> {
  const st = await fs.stat(dir).catch(() => undefined);
  if (st && !st.isDirectory()) throw new Error(`${dir} exists and is not a folder`);
  if (st && (await fs.readdir(dir)).length > 0) throw new Error(`${dir} is not empty: write each evidence pack to a new folder`);
  await fs.mkdir(dirname(dir), { recursive: true });
}

export async function writeEvidencePack(dir: string, pack: EvidencePack, chain: ChainData, signer?: Signer): Promise<Manifest> {
  await prepareTarget(dir);
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  await fs.mkdir(join(tmp, 'csv'), { recursive: true });
  await fs.mkdir(join(tmp, 'chain'), { recursive: true });
  try {
    const files: ManifestFile[] = [];
    files.push(await writeEvidenceJson(tmp, pack));
    for (const [path, text] of Object.entries(csvTables(pack))) files.push(await writeText(tmp, path, text));
    files.push(await writeLines(tmp, 'chain/runs.ndjson', chain.links));
    files.push(await writeLines(tmp, 'chain/findings.ndjson', chain.spans));
    files.push(await writeLines(tmp, 'chain/controls.ndjson', chain.controls));
    files.push(await writeLines(tmp, 'chain/rules.ndjson', chain.rules));
    files.push(await writeText(tmp, 'chain/checkpoints.json', `${JSON.stringify(chain.checkpoints, null, 1)}\n`));
    files.push(await writeText(tmp, 'chain/data-runs.json', `${JSON.stringify(chain.dataRuns)}\n`));
    files.push(await writeText(tmp, 'index.html', renderEvidenceHtml(pack, { manifest: MANIFEST, signed: !!signer })));
    files.sort((a, b) => a.path.localeCompare(b.path));
    const manifest: Manifest = {
      format: 'trustscan-evidence-manifest/1',
      generatedAt: pack.generatedAt,
      tool: pack.tool,
      period: pack.period,
      scope: pack.scope,
      sampling: pack.sampling,
      chain: pack.chain,
      files,
    };
    const text = `${JSON.stringify(manifest, null, 1)}\n`;
    await fs.writeFile(join(tmp, MANIFEST), text);
    if (signer) {
      const { signature, publicKey } = signer.sign(text);
      const sig: ManifestSignature = { algorithm: 'Ed25519', keyId: signer.keyId, publicKey, signature };
      await fs.writeFile(join(tmp, SIGNATURE), `${JSON.stringify(sig, null, 1)}\n`);
    }
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rename(tmp, dir);
    return manifest;
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
