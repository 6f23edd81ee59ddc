import pino from 'pino';
import { CallLedger } from '../../src/collect/calls';
import { ResourceDraft } from '../../src/collect/resource-draft';
import { CoverageRecorder } from '../../src/core/coverage-recorder';
import type { ResourceTypeDef } from '../../src/core/resource-types/registry';

/** A type of no real cloud: the kernel knows providers only through their type definitions. */
const def: ResourceTypeDef = {
  type: 'demo.store.box',
  provider: 'demo',
  description: 'A box.',
  scope: 'regional',
  properties: { type: 'object' },
  operations: [
    { op: 'store:ListBoxes', lists: true },
    { op: 'store:GetBoxPolicy', paths: ['policy'] },
    { op: 'store:GetBoxSettings', paths: ['settings.lock', 'settings.retention'] },
    { op: 'store:ListBoxTags', paths: ['$tags'] },
  ],
};

const failed = (op: string) => ({ ok: false as const, op, outcome: 'denied' as const, message: 'AccessDenied' });

describe('ResourceDraft', () => {
  it('marks unknown exactly the paths the registry says a failed operation fills', () => {
    const d = new ResourceDraft(def, { name: 'b', policy: { Statement: [] }, settings: { lock: true, retention: 3, owner: 'x' } });
    expect(d.from(failed('store:GetBoxSettings'))).toBe(false);
    expect([...d.unknown].sort()).toEqual(['settings.lock', 'settings.retention']);
    expect(d.properties).toEqual({ name: 'b', policy: { Statement: [] }, settings: { lock: null, retention: null, owner: 'x' } });
  });

  it('lets a successful call through, changing nothing', () => {
    const d = new ResourceDraft(def, { policy: null });
    const r = { ok: true as const, value: { Policy: '{}' } };
    expect(d.from(r)).toBe(true);
    expect(d.unknown.size).toBe(0);
    expect(d.properties).toEqual({ policy: null });
  });

  it('lists unreadable tags without writing a `$tags` property', () => {
    const d = new ResourceDraft(def, { name: 'b' });
    d.from(failed('store:ListBoxTags'));
    expect(d.properties).toEqual({ name: 'b' });
    expect(d.finish({ id: 'box-1', account: '1', region: 'r1' }).unknown).toEqual(['$tags']);
  });

  it('throws, naming the type and the operation, for an operation the type does not say fills paths', () => {
    const d = new ResourceDraft(def, {});
    expect(() => d.from(failed('store:GetBoxAcl'))).toThrow(/demo\.store\.box.*store:GetBoxAcl/);
    // A listing fills no paths: its failure is the engine's listing gap, not a draft's unknown.
    expect(() => d.from(failed('store:ListBoxes'))).toThrow(/store:ListBoxes/);
  });

  it('finishes with the type and provider of its definition, the id first, unknown paths and reasons sorted', () => {
    const d = new ResourceDraft(def, { policy: null, settings: {} });
    d.loseBecause('a shared profile could not be read', 'settings.retention');
    d.loseOperation('store:GetBoxPolicy');
    d.need('settings.lock', undefined);
    d.need('owner', 'x');
    const r = d.finish({ id: 'box-1', account: '1', region: 'r1', name: 'b' });
    expect(Object.keys(r).slice(0, 2)).toEqual(['id', 'type']);
    expect(r).toEqual({
      id: 'box-1',
      type: 'demo.store.box',
      provider: 'demo',
      account: '1',
      region: 'r1',
      name: 'b',
      source: { kind: 'runtime' },
      properties: { policy: null, settings: { lock: null, retention: null }, owner: 'x' },
      unknown: ['policy', 'settings.lock', 'settings.retention'],
      unknownReasons: { 'settings.retention': 'a shared profile could not be read' },
    });
  });

  it('starts every path an operation fills unknown, for a resource many calls fill in', () => {
    const d = new ResourceDraft(def, { policy: null });
    d.unknownUntilRead();
    expect([...d.unknown].sort()).toEqual(['$tags', 'policy', 'settings.lock', 'settings.retention']);
    expect(d.properties).toEqual({ policy: null });
  });
});

describe('CallLedger', () => {
  const log = pino({ level: 'silent' });

  it('records a failure with its resource and the types it leaves incomplete, and names its operation as the registry does', () => {
    const coverage = new CoverageRecorder();
    const ledger = new CallLedger('demo', 'acct-1', coverage, log);
    const place = { service: 'store', operation: 'GetBoxPolicy', region: 'r1', resourceId: 'box-1', affects: ['demo.store.box'] };
    const f = ledger.failed(place, 'denied', 'AccessDenied', 2);
    expect(f).toEqual({ ok: false, op: 'store:GetBoxPolicy', outcome: 'denied', message: 'AccessDenied' });
    ledger.ok({ ...place, operation: 'ListBoxes' }, 3);
    expect(coverage.entries()).toEqual([
      { provider: 'demo', account: 'acct-1', region: 'r1', service: 'store', operation: 'ListBoxes', outcome: 'ok', calls: 3 },
      { provider: 'demo', account: 'acct-1', region: 'r1', service: 'store', operation: 'GetBoxPolicy', outcome: 'denied', message: 'AccessDenied', calls: 2, resourceId: 'box-1', affects: ['demo.store.box'] },
    ]);
  });

  it('logs a failure as a warning, and a quiet outcome (a fact about the account) at debug', () => {
    const lines: { level: number; op: string; unit?: string }[] = [];
    const capture = pino({ level: 'debug' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
    const ledger = new CallLedger('demo', 'acct-1', new CoverageRecorder(), capture, { accountField: 'unit', quiet: ['not-enabled'] });
    ledger.failed({ service: 'store', operation: 'ListBoxes', region: 'global' }, 'not-enabled', 'API off', 1);
    ledger.failed({ service: 'store', operation: 'GetBoxPolicy', region: 'global' }, 'error', 'HTTP 500', 1);
    expect(lines.map((l) => [l.level, l.op, l.unit])).toEqual([
      [20, 'store:ListBoxes', 'acct-1'],
      [40, 'store:GetBoxPolicy', 'acct-1'],
    ]);
  });
});
