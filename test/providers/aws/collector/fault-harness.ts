import { join } from 'node:path';
import { UsageError } from '../../../../src/core/errors';
import type { Finding, Snapshot } from '../../../../src/core/types';
import { evaluate } from '../../../../src/engine/evaluate';
import type { AwsCollectOptions } from '../../../../src/providers/aws/collector/collector';
import { builtinCatalog, builtinRegistry } from '../../../../src/catalog';
import type { CompiledRule } from '../../../../src/engine/rule-types';
import { ANSWER_FAULTS, type CallRecord, type FakeAws, type FaultKind, type FaultRule } from '../../../fake-cloud/aws/server';
import type { Scenario } from '../../../fake-cloud/aws/scenario';
import { ROOT } from '../../../helpers';
import { collectSnapshot, withFake } from './aws-helpers';

/**
 * Runs scans under injected faults and judges them against a fault-free scan of the same
 * scenario. The invariant: a finding is PASS only where the fault-free scan says PASS on the same
 * evidence; no finding disappears without an UNKNOWN placeholder for its listing; and every call
 * that ended on a fault the client could see is in the coverage as a gap.
 */

/** Scan time for every evaluation: date rules must not drift between the scans compared. */
const NOW = new Date('2026-06-01T00:00:00Z');
/** A scan that takes longer has stalled (the fake answers in milliseconds). */
const STALL_MS = 120_000;

/**
 * Answers that a correct endpoint may send for some operations: a document with nothing in it is
 * "versioning never configured", "no access logging", "us-east-1". No client can tell these apart
 * from a hollowed answer, so a hollow answer there is a fact, not a gap.
 */
// SQS ListQueues leaves QueueUrls out when a region has no queue: an empty answer is that answer.
// CloudWatch Logs' delivery listings are read the same way (a list left out is no delivery), so a
// hollowed or list-less answer to them can only turn a PASS into a FAIL, never the other way.
export const EMPTY_IS_AN_ANSWER = new Set(['s3:GetBucketVersioning', 's3:GetBucketLogging', 's3:GetBucketLocation', 'sqs:ListQueues', 'logs:DescribeDeliverySources', 'logs:DescribeDeliveries']);

let rulesCache: CompiledRule[] | undefined;
function allRules(): CompiledRule[] {
  rulesCache ??= builtinCatalog().loadRules();
  return rulesCache;
}

export function findingsOf(snapshot: Snapshot): Finding[] {
  return evaluate(snapshot, allRules(), builtinRegistry(), { now: NOW }).results.findings;
}

export interface Baseline {
  findings: Map<string, Finding>;
  /** Ids of the resources of the fault-free snapshot. */
  resources: Set<string>;
  /** `service:Operation` of every call the fault-free scan made. */
  operations: string[];
}

export async function baseline(scenario: () => Scenario, options: Partial<AwsCollectOptions>): Promise<Baseline> {
  return withFake({ scenario: scenario() }, async (fake) => {
    const { snapshot } = await collectSnapshot(fake, options);
    const gaps = snapshot.coverage.filter((c) => c.outcome !== 'ok');
    if (gaps.length) throw new Error(`the fault-free scan has gaps: ${JSON.stringify(gaps)}`);
    return {
      findings: new Map(findingsOf(snapshot).map((f) => [f.fingerprint, f])),
      resources: new Set(snapshot.resources.map((r) => r.id)),
      operations: [...new Set(fake.calls.map((c) => `${c.service}:${c.operation}`))].sort(),
    };
  });
}

export interface Verdict {
  /** Call attempts answered with a fault. */
  injected: number;
  /** Calls whose last attempt was a fault the client could see. */
  endedFaulted: number;
  falsePass: string[];
  /** PASS findings on resources the fault-free scan does not emit (see judge). */
  outOfScope: string[];
  vanished: string[];
  /** Calls that ended on a visible fault without a gap in the coverage. */
  silent: string[];
  /** The scan stopped with a usage error (exit 2): acceptable for the calls nothing can proceed without. */
  stopped?: string;
  /** Anything else thrown: an invalid snapshot or an internal error. */
  crashed?: string;
  stalled?: boolean;
  wallMs: number;
}

/**
 * Whether the evidence of a PASS under faults is the fault-free evidence or a part of it: every
 * value it shows is the value read without faults. It may show less (a fact that could not be
 * derived and did not decide the verdict is left out). An "any resource" check that found its
 * match is decided by `matching`: how many resources were in scope (`inScope`) and which listings
 * failed elsewhere (`incompleteListing`) are notes, smaller or longer when a listing failed, and
 * so is the list of unread inputs that did not decide the verdict (`unknownNotDeciding`). A value
 * left undefined or unknown is not shown: evidence is compared as the JSON users read.
 */
const NOTES = new Set(['incompleteListing', 'inScope', 'unknownNotDeciding']);
function within(a: unknown, b: unknown, unknown: ReadonlySet<string>, at = ''): boolean {
  // A value the faulted scan could not read (null, its JSON Pointer in unknownEvidence) claims nothing: a
  // PASS decided by the values it did read (three-valued `any`, listed in unknownNotDeciding)
  // rests only on those.
  if (unknown.has(at)) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => within(x, b[i], unknown, `${at}/${i}`));
  if (a && typeof a === 'object') {
    if (!b || typeof b !== 'object' || Array.isArray(b)) return false;
    return Object.entries(a).every(([k, v]) => NOTES.has(k) || within(v, (b as Record<string, unknown>)[k], unknown, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`));
  }
  return a === b;
}

const asJson = (x: unknown): unknown => (x === undefined ? undefined : JSON.parse(JSON.stringify(x)));

/** Calls (all attempts of one SDK invocation) whose final attempt the client saw as a fault. */
function faultedCalls(calls: CallRecord[]): CallRecord[] {
  const last = new Map<string, CallRecord>();
  calls.forEach((c, i) => {
    const key = c.invocation ?? `#${i}`;
    const prev = last.get(key);
    const n = (r: CallRecord): number => Number(/attempt=(\d+)/.exec(r.attempt ?? '')?.[1] ?? 0);
    if (!prev || n(c) >= n(prev)) last.set(key, c);
  });
  // An answer without its list is, for these operations, the same answer as a hollow one.
  return [...last.values()].filter((c) => c.fault !== undefined && !((c.fault === 'hollow' || c.fault === 'drop-list') && EMPTY_IS_AN_ANSWER.has(`${c.service}:${c.operation}`)));
}

export function judge(base: Baseline, snapshot: Snapshot, calls: CallRecord[]): Omit<Verdict, 'wallMs' | 'injected' | 'endedFaulted'> {
  const findings = findingsOf(snapshot);
  const byPrint = new Map(findings.map((f) => [f.fingerprint, f]));
  const falsePass: string[] = [];
  const outOfScope: string[] = [];
  for (const f of findings) {
    if (f.status !== 'PASS') continue;
    const b = base.findings.get(f.fingerprint);
    if (!b && !f.unknownReasons && !base.resources.has(f.resource.id)) {
      // A resource the fault-free scan leaves out of scope (an AWS-managed key, recognised by its
      // alias or manager), kept because the call that would have told was a gap: its PASS rests
      // on data that was read, only its scope is unknown.
      outOfScope.push(`${f.ruleId} ${f.resource.id}`);
      continue;
    }
    if (!b || b.status !== 'PASS' || !within(asJson(f.evidence), asJson(b.evidence), new Set(f.unknownEvidence))) falsePass.push(`${f.ruleId} ${f.resource.id} (fault-free: ${b?.status ?? 'absent'})`);
  }
  const placeholders = findings.filter((f) => f.resource.id.startsWith('unlisted:'));
  const vanished: string[] = [];
  for (const b of base.findings.values()) {
    if (byPrint.has(b.fingerprint)) continue;
    const covered = placeholders.some((p) => p.ruleId === b.ruleId && p.resource.account === b.resource.account && (p.resource.region === b.resource.region || p.resource.region === 'global' || b.resource.region === 'global'));
    if (!covered) vanished.push(`${b.ruleId} ${b.resource.id} (${b.status})`);
  }
  const gaps = snapshot.coverage.filter((c) => c.outcome !== 'ok');
  const silent = faultedCalls(calls)
    .filter((c) => !gaps.some((g) => g.service === c.service && g.operation === c.operation && (g.account === c.account || (c.resource ?? '').includes(g.account))))
    .map((c) => `${c.fault} on ${c.service}:${c.operation} ${c.account} ${c.region} ${c.resource ?? ''}`);
  return { falsePass, outOfScope, vanished, silent };
}

/** One scan under `faults`, judged against `base`. */
export async function faultedScan(scenario: () => Scenario, base: Baseline, faults: FaultRule[], options: Partial<AwsCollectOptions>): Promise<Verdict> {
  const started = Date.now();
  let fakeRef: FakeAws | undefined;
  const result = await withFake({ scenario: scenario(), faults }, async (fake) => {
    fakeRef = fake;
    let timer: NodeJS.Timeout | undefined;
    const stall = new Promise<'stalled'>((resolve) => (timer = setTimeout(() => resolve('stalled'), STALL_MS)));
    try {
      const r = await Promise.race([collectSnapshot(fake, options).then((x) => ({ snapshot: x.snapshot })), stall]);
      return r;
    } catch (err) {
      return { error: err };
    } finally {
      clearTimeout(timer);
    }
  });
  const calls = fakeRef!.calls;
  const counts = { injected: calls.filter((c) => c.fault !== undefined).length, endedFaulted: faultedCalls(calls).length, wallMs: Date.now() - started };
  if (result === 'stalled') return { ...counts, falsePass: [], outOfScope: [], vanished: [], silent: [], stalled: true };
  if ('error' in result) {
    const e = result.error as Error;
    if (e instanceof UsageError) return { ...counts, falsePass: [], outOfScope: [], vanished: [], silent: [], stopped: e.message };
    return { ...counts, falsePass: [], outOfScope: [], vanished: [], silent: [], crashed: `${e.name}: ${e.message.split('\n').slice(0, 3).join(' | ')}` };
  }
  return { ...counts, ...judge(base, result.snapshot, calls) };
}

/** Every fault kind the random mixes draw from. */
export const MIX_KINDS: FaultKind[] = [...ANSWER_FAULTS, 'server', 'not-implemented', 'throttled', 'denied'];

/** A small seeded generator (mulberry32): the same seed gives the same mix. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random mix of one to four fault rules over `operations`, some on every call, some on a share. */
export function randomMix(seed: number, operations: string[], kinds: FaultKind[] = MIX_KINDS): FaultRule[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  return Array.from({ length: 1 + Math.floor(r() * 4) }, () => {
    const kind = pick(kinds);
    const rule: FaultRule = { op: pick(operations), kind, seed: Math.floor(r() * 1e9), rate: pick([0.3, 0.6, 1]) };
    if ((kind === 'html' || kind === 'empty') && r() < 0.3) rule.status = pick([500, 502]);
    return rule;
  });
}

export const SCENARIO_DIR = join(ROOT, 'fixtures', 'scenarios', 'aws');
