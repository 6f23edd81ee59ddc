import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { dayOf } from '../store/run-header';
import type { ControlRow } from '../store/run-record';
import { verifySignature } from '../store/signing';
import type { Checkpoint, SpanRow } from '../store/store';
import { type ChainLink, verifyChain, type VerifyReport } from '../store/verify';
import { dayTable, daysBetween, runInScope, timelineOf } from './build';
import type { EvidencePack } from './model';
import { drawSample, sampleSize } from './sample';
import { type Manifest, MANIFEST, type ManifestSignature, SIGNATURE } from './write';

/**
 * `trustscan evidence verify DIR`: is this pack what trustscan wrote, from an unaltered history?
 * - every file matches the manifest's SHA-256 and nothing was added;
 * - the manifest's Ed25519 signature verifies (and is by the expected key, when given);
 * - the runs form an unbroken hash chain, each header matches its digest, and every finding,
 *   roll-up row and rule of the pack's runs matches the digests the chain protects;
 * - no run of the scope gathered in the period is left out;
 * - the timeline and the samples follow from that data (recomputed, compared).
 */

export interface PackReport {
  ok: boolean;
  problems: string[];
  files: number;
  signed: boolean;
  keyId?: string;
  chain?: VerifyReport;
}

async function sha256File(file: string): Promise<{ sha256: string; bytes: number }> {
  const h = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    h.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: h.digest('hex'), bytes };
}

async function listFiles(dir: string, root = dir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p, root)));
    else out.push(relative(root, p).split(sep).join('/'));
  }
  return out;
}

async function readLines<T>(file: string): Promise<T[]> {
  const out: T[] = [];
  const rl = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of rl) if (line.trim()) out.push(JSON.parse(line) as T);
  return out;
}

export async function verifyEvidencePack(dir: string, opts: { publicKey?: string; anchor?: string } = {}): Promise<PackReport> {
  const problems: string[] = [];
  const report: PackReport = { ok: false, problems, files: 0, signed: false };
  let manifestText: string;
  try {
    manifestText = await fs.readFile(join(dir, MANIFEST), 'utf8');
  } catch {
    problems.push(`${MANIFEST} is missing: not an evidence pack, or an incomplete one`);
    return report;
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText) as Manifest;
    if (manifest.format !== 'trustscan-evidence-manifest/1' || !Array.isArray(manifest.files)) throw new Error('unknown format');
  } catch (e) {
    problems.push(`${MANIFEST}: not a trustscan evidence manifest (${(e as Error).message})`);
    return report;
  }

  // Files.
  const listed = new Map(manifest.files.map((f) => [f.path, f]));
  for (const f of manifest.files) {
    if (f.path.includes('..') || f.path.startsWith('/')) {
      problems.push(`${f.path}: not a path inside the pack`);
      continue;
    }
    const got = await sha256File(join(dir, f.path)).catch(() => undefined);
    if (!got) problems.push(`${f.path}: listed in the manifest but missing`);
    else if (got.sha256 !== f.sha256 || got.bytes !== f.bytes) problems.push(`${f.path}: content differs from the manifest (changed after the pack was written)`);
  }
  for (const f of await listFiles(dir)) if (f !== MANIFEST && f !== SIGNATURE && !listed.has(f)) problems.push(`${f}: not listed in the manifest (added afterwards)`);
  report.files = manifest.files.length;

  // Signature.
  const sigText = await fs.readFile(join(dir, SIGNATURE), 'utf8').catch(() => undefined);
  if (sigText !== undefined) {
    report.signed = true;
    try {
      const sig = JSON.parse(sigText) as ManifestSignature;
      report.keyId = sig.keyId;
      if (!verifySignature(manifestText, sig.signature, sig.publicKey)) problems.push(`${SIGNATURE}: the signature does not verify against ${MANIFEST}`);
      if (opts.publicKey && opts.publicKey.trim() !== sig.publicKey.trim()) problems.push(`${SIGNATURE}: signed by another key (${sig.keyId}) than the one given`);
    } catch (e) {
      problems.push(`${SIGNATURE}: unreadable (${(e as Error).message})`);
    }
  } else if (opts.publicKey) problems.push(`the pack is not signed (${SIGNATURE} missing), but a public key was given`);

  // Nothing below can be trusted if the files do not match: stop here.
  if (problems.length) return report;

  const pack = JSON.parse(await fs.readFile(join(dir, 'evidence.json'), 'utf8')) as EvidencePack;
  const links = await readLines<ChainLink>(join(dir, 'chain/runs.ndjson'));
  const spans = await readLines<SpanRow>(join(dir, 'chain/findings.ndjson'));
  const controls = await readLines<ControlRow & { seq: number }>(join(dir, 'chain/controls.ndjson'));
  const rules = await readLines<{ seq: number; id: string; version: string; contentHash: string }>(join(dir, 'chain/rules.ndjson'));
  const checkpoints = JSON.parse(await fs.readFile(join(dir, 'chain/checkpoints.json'), 'utf8')) as Checkpoint[];
  const dataRuns = new Set(JSON.parse(await fs.readFile(join(dir, 'chain/data-runs.json'), 'utf8')) as number[]);

  const spansByStream = new Map<string, SpanRow[]>();
  for (const s of spans) {
    const list = spansByStream.get(s.stream);
    if (list) list.push(s);
    else spansByStream.set(s.stream, [s]);
  }
  const controlsBySeq = new Map<number, ControlRow[]>();
  for (const c of controls) {
    const { seq, ...row } = c;
    const list = controlsBySeq.get(seq);
    if (list) list.push(row);
    else controlsBySeq.set(seq, [row]);
  }
  const rulesBySeq = new Map<number, { id: string; version: string; contentHash: string }[]>();
  for (const r of rules) {
    const list = rulesBySeq.get(r.seq);
    if (list) list.push(r);
    else rulesBySeq.set(r.seq, [r]);
  }
  const chain = await verifyChain({
    links,
    checkpoints,
    withData: (l) => dataRuns.has(l.seq),
    spans: async (stream) => spansByStream.get(stream) ?? [],
    controls: async (seq) => controlsBySeq.get(seq) ?? [],
    rules: async (seq) => rulesBySeq.get(seq) ?? [],
  });
  report.chain = chain;
  problems.push(...chain.problems);
  if (links.length && (links[0].seq !== manifest.chain.firstSeq || links[links.length - 1].chainHash !== manifest.chain.head)) problems.push('the chain in chain/runs.ndjson is not the one the manifest names');
  if (opts.anchor && opts.anchor !== chain.startsAfter && !links.some((l) => l.chainHash === opts.anchor)) problems.push(`the chain does not pass through the anchor ${opts.anchor}`);

  // Completeness: every run of the scope gathered in the period is in the pack, and no other.
  const scopeKeys = pack.scope.accounts.map((a) => (a.includes(':') ? a : `?:${a}`));
  const scopeSet = new Set(pack.scope.accounts.filter((a) => a.includes(':')));
  const bare = new Set(pack.scope.accounts.filter((a) => !a.includes(':')));
  const inScope = (l: ChainLink): boolean =>
    runInScope(l.header, null) && l.header.scope.accounts.some((a) => scopeSet.has(`${a.provider}:${a.id}`) || bare.has(a.id));
  const inPeriod = (l: ChainLink): boolean => {
    const d = dayOf(l.header.collectedAt);
    return d >= pack.period.from && d <= pack.period.to;
  };
  for (const l of links) {
    const should = inScope(l) && inPeriod(l);
    if (should && !dataRuns.has(l.seq)) problems.push(`run ${l.seq} (${l.header.runId}) belongs to the period and scope but its data is not in the pack`);
    if (!should && dataRuns.has(l.seq)) problems.push(`run ${l.seq} is in the pack but outside its period or scope`);
  }
  const logged = new Set(pack.runs.map((r) => r.seq));
  if (logged.size !== dataRuns.size || [...dataRuns].some((s) => !logged.has(s))) problems.push('the run log (evidence.json) does not list exactly the runs of the pack');

  // The timeline and the samples follow from the verified data.
  const days = daysBetween(pack.period.from, pack.period.to);
  const dataLinks = links.filter((l) => dataRuns.has(l.seq));
  const { dayInfo } = dayTable(days, dataLinks.map((l) => ({ seq: l.seq, day: dayOf(l.header.collectedAt), accounts: l.header.scope.accounts })), controls, scopeKeys);
  const pops = new Map(pack.populations.map((p) => [`${p.framework}\u0000${p.criterion}`, p.items]));
  for (const c of pack.criteria) {
    const key = `${c.framework}\u0000${c.id}`;
    const expected = timelineOf(days, dayInfo, key);
    const bad = expected.filter((t, i) => c.timeline[i]?.status !== t.status || c.timeline[i]?.day !== t.day);
    if (bad.length || c.timeline.length !== expected.length) problems.push(`${c.id}: the timeline does not follow from the recorded roll-ups (${bad.length} day(s) differ, e.g. ${bad[0]?.day ?? '?'})`);
    const items = pops.get(key) ?? [];
    if (items.length !== c.population.size) problems.push(`${c.id}: population size ${c.population.size} but ${items.length} items listed`);
    const requested = pack.sampling.requested === 'guidance' ? undefined : pack.sampling.requested;
    const sample = drawSample(items, (i) => i.key, sampleSize(items.length, requested), pack.sampling.seed, c.framework, c.id).map((s) => s.item.key);
    if (sample.join('\n') !== c.sample.items.map((i) => i.key).join('\n')) problems.push(`${c.id}: the sample is not the one the seed draws from the population`);
  }
  report.ok = problems.length === 0;
  return report;
}
