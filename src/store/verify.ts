import { canonicalJson } from '../core/hash';
import { chainHash, changesDigest, findingsDigest, GENESIS, leafOf, recordDigest, rowsDigest } from './digest';
import type { RunHeader } from './run-header';
import { type ControlRow, type RuleInForce, rowForLeaf } from './run-record';
import { verifySignature } from './signing';
import { type Checkpoint, type CheckpointBody, controlRowForDigest, type HistoryStore, rulesDigestOf, type SpanRow } from './store';

/**
 * Verification of recorded history, the same for a store (`history verify`) and an evidence pack
 * (`evidence verify`): the chain links, each run's header against its record digest, and — for
 * the runs whose data is at hand — every finding, roll-up row and rule against the digests the
 * header carries. Findings are checked in full for the first run of each scope, then run by run
 * through the changes, so the cost grows with the changes, not with runs × findings.
 */

export interface ChainLink {
  seq: number;
  recordDigest: string;
  prevHash: string;
  chainHash: string;
  header: RunHeader;
}

export interface VerifySource {
  /** Every run of a contiguous part of the chain, in seq order. */
  links: ChainLink[];
  checkpoints: Checkpoint[];
  /** Runs whose findings, roll-up and rules are to be checked (all of them for a store). */
  withData: (link: ChainLink) => boolean;
  spans: (stream: string) => Promise<SpanRow[]>;
  controls: (seq: number) => Promise<ControlRow[]>;
  rules: (seq: number) => Promise<Pick<RuleInForce, 'id' | 'version' | 'contentHash'>[]>;
  /** Public key (PEM) that checkpoints must be signed with, when the verifier knows it. */
  publicKey?: string;
}

export interface VerifyReport {
  ok: boolean;
  problems: string[];
  runs: number;
  runsWithData: number;
  findingsChecked: number;
  /** Hash the chain part starts from (the previous run's chain hash, or GENESIS). */
  startsAfter: string;
  /** Chain hash of the last run. */
  head: string;
  /** How the start is anchored: genesis, a signed checkpoint, or nothing known to the verifier. */
  anchoredBy: 'genesis' | 'checkpoint' | 'none';
  checkpoints: number;
}

const LIMIT = 50;

export async function verifyChain(src: VerifySource): Promise<VerifyReport> {
  const problems: string[] = [];
  const problem = (p: string): void => {
    if (problems.length < LIMIT) problems.push(p);
    else if (problems.length === LIMIT) problems.push('… more problems not listed');
  };
  const links = [...src.links].sort((a, b) => a.seq - b.seq);

  // Checkpoints: each signed, each linked to the one before.
  let prevCheckpoint: string | null = null;
  const checkpointAt = new Map<number, CheckpointBody>();
  for (const c of src.checkpoints) {
    let body: CheckpointBody;
    try {
      body = JSON.parse(c.body) as CheckpointBody;
    } catch {
      problem(`checkpoint at run ${c.seq}: body is not JSON`);
      continue;
    }
    if (canonicalJson(body) !== c.body) problem(`checkpoint at run ${c.seq}: body is not in canonical form`);
    if (!verifySignature(c.body, c.signature, c.publicKey)) problem(`checkpoint at run ${c.seq}: signature does not verify`);
    if (src.publicKey && src.publicKey.trim() !== c.publicKey.trim()) problem(`checkpoint at run ${c.seq}: signed with another key than the one given`);
    if (body.previous !== prevCheckpoint) problem(`checkpoint at run ${c.seq}: does not link to the previous checkpoint`);
    prevCheckpoint = recordDigest(body);
    checkpointAt.set(body.seq, body);
  }

  // The chain.
  let anchoredBy: VerifyReport['anchoredBy'] = 'none';
  const startsAfter = links.length ? links[0].prevHash : GENESIS;
  if (links.length) {
    const first = links[0];
    const cp = checkpointAt.get(first.seq - 1);
    if (first.seq === 1) {
      anchoredBy = 'genesis';
      if (first.prevHash !== GENESIS) problem(`run ${first.seq}: the first run must follow the genesis hash`);
    } else if (cp) {
      anchoredBy = 'checkpoint';
      if (cp.chainHash !== first.prevHash) problem(`run ${first.seq}: does not link to the signed checkpoint left by pruning runs up to ${cp.seq}`);
    }
  }
  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    if (i > 0) {
      const before = links[i - 1];
      if (l.seq !== before.seq + 1) problem(`runs ${before.seq + 1}–${l.seq - 1} are missing from the chain`);
      if (l.prevHash !== before.chainHash) problem(`run ${l.seq}: does not link to run ${before.seq} (previous hash differs)`);
    }
    if (l.header.seq !== l.seq) problem(`run ${l.seq}: header says run ${l.header.seq}`);
    if (recordDigest(l.header) !== l.recordDigest) problem(`run ${l.seq} (${l.header.runId}): header does not match its record digest (edited after recording)`);
    if (chainHash(l.prevHash, l.recordDigest) !== l.chainHash) problem(`run ${l.seq}: chain hash does not match`);
  }

  // Data of the runs that have it.
  const data = links.filter(src.withData);
  let findingsChecked = 0;
  const byStream = new Map<string, ChainLink[]>();
  for (const l of data) {
    const list = byStream.get(l.header.stream);
    if (list) list.push(l);
    else byStream.set(l.header.stream, [l]);
  }
  for (const [stream, runs] of byStream) {
    const spans = await src.spans(stream);
    for (const s of spans) {
      findingsChecked++;
      if (leafOf(rowForLeaf(s)) !== s.leaf) problem(`finding ${s.fingerprint} (from run ${s.startSeq}): its recorded state does not match its hash`);
    }
    const first = runs[0];
    const present = spans.filter((s) => s.startSeq <= first.seq && (s.closedBy === null || s.closedBy > first.seq));
    if (present.length !== first.header.findings.count || findingsDigest(present) !== first.header.findings.digest) {
      problem(`run ${first.seq} (${first.header.runId}): its findings do not match the recorded digest (${present.length} found, ${first.header.findings.count} recorded)`);
    }
    const opens = new Map<number, SpanRow[]>();
    const closes = new Map<number, SpanRow[]>();
    const push = (m: Map<number, SpanRow[]>, k: number, s: SpanRow): void => {
      const list = m.get(k);
      if (list) list.push(s);
      else m.set(k, [s]);
    };
    for (const s of spans) {
      push(opens, s.startSeq, s);
      if (s.closedBy !== null) push(closes, s.closedBy, s);
    }
    let count = present.length;
    for (const r of runs.slice(1)) {
      const o = opens.get(r.seq) ?? [];
      const c = closes.get(r.seq) ?? [];
      count += o.length - c.length;
      if (o.length !== r.header.findings.opened || c.length !== r.header.findings.closed || changesDigest(o, c) !== r.header.findings.changesDigest || count !== r.header.findings.count) {
        problem(`run ${r.seq} (${r.header.runId}): its finding changes do not match the recorded digest`);
        // Resynchronise on the recorded count so one bad run does not fail every later one.
        count = r.header.findings.count;
      }
    }
  }
  for (const l of data) {
    const controls = await src.controls(l.seq);
    if (controls.length !== l.header.controls.count || rowsDigest(controls.map(controlRowForDigest)) !== l.header.controls.digest) {
      problem(`run ${l.seq} (${l.header.runId}): its roll-up does not match the recorded digest`);
    }
    const rules = await src.rules(l.seq);
    if (rules.length !== l.header.rules.count || rulesDigestOf(rules) !== l.header.rules.digest) problem(`run ${l.seq} (${l.header.runId}): its rule list does not match the recorded digest`);
  }

  return {
    ok: problems.length === 0,
    problems,
    runs: links.length,
    runsWithData: data.length,
    findingsChecked,
    startsAfter,
    head: links.length ? links[links.length - 1].chainHash : startsAfter,
    anchoredBy,
    checkpoints: src.checkpoints.length,
  };
}

/** Verifies a whole store: every run, every finding span, every roll-up row and rule list. */
export async function verifyStore(store: HistoryStore, publicKey?: string): Promise<VerifyReport> {
  const runs = await store.runs();
  const last = new Map<string, { first: number; last: number }>();
  for (const r of runs) {
    const e = last.get(r.stream);
    if (e) e.last = r.seq;
    else last.set(r.stream, { first: r.seq, last: r.seq });
  }
  return verifyChain({
    links: runs.map((r) => ({ seq: r.seq, recordDigest: r.recordDigest, prevHash: r.prevHash, chainHash: r.chainHash, header: r.header })),
    checkpoints: await store.checkpoints(),
    withData: () => true,
    spans: (stream) => store.spans(stream, last.get(stream)!.first, last.get(stream)!.last),
    controls: (seq) => store.controls(seq, seq),
    rules: async (seq) => (await store.runRules(seq, seq)).map((r) => r.rule),
    publicKey,
  });
}
