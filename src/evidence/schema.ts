import type { JsonSchema } from '../core/resource-types/schema-helpers';
import { EVIDENCE_SCHEMA_VERSION } from './model';

/** JSON Schema of evidence.json (`trustscan evidence schema`); keep it in step with model.ts. */

const day = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
const time = { type: 'string', format: 'date-time' };
const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' };
const strings = { type: 'array', items: { type: 'string' } };
const count = { type: 'integer', minimum: 0 };
const statusCounts = { type: 'object', required: ['PASS', 'FAIL', 'UNKNOWN', 'MUTED'], additionalProperties: false, properties: { PASS: count, FAIL: count, UNKNOWN: count, MUTED: count } };
const dayStatus = { enum: ['PASS', 'FAIL', 'UNKNOWN', 'MANUAL', 'GAP'] };
const severity = { enum: ['critical', 'high', 'medium', 'low', 'info'] };
const obj = (required: string[], properties: Record<string, unknown>, extra = false): JsonSchema => ({ type: 'object', required, additionalProperties: extra, properties });

const populationItem = obj(['key', 'resourceId', 'resourceType', 'provider', 'account', 'region', 'rules', 'runs', 'statusRuns', 'firstSeen', 'lastSeen'], {
  key: { type: 'string' },
  resourceId: { type: 'string' },
  resourceType: { type: 'string' },
  provider: { type: 'string' },
  account: { type: 'string' },
  region: { type: 'string' },
  name: { type: 'string' },
  rules: strings,
  runs: count,
  statusRuns: statusCounts,
  firstSeen: time,
  lastSeen: time,
  rank: hex64,
});

export const evidenceSchema: JsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: `https://trustscan.dev/schemas/evidence-${EVIDENCE_SCHEMA_VERSION}.json`,
  title: 'trustscan evidence pack (evidence.json)',
  ...obj(
    ['schemaVersion', 'generatedAt', 'tool', 'period', 'scope', 'sampling', 'chain', 'summary', 'frameworks', 'runs', 'gaps', 'criteria', 'populations', 'failures', 'acceptedRisks', 'rules', 'ruleChanges'],
    {
      schemaVersion: { const: EVIDENCE_SCHEMA_VERSION },
      generatedAt: time,
      tool: obj(['name', 'version'], { name: { type: 'string' }, version: { type: 'string' } }),
      period: obj(['from', 'to', 'days'], { from: day, to: day, days: count }),
      scope: obj(['accounts', 'requested'], { accounts: strings, requested: strings }),
      sampling: obj(['seed', 'requested', 'method'], { seed: { type: 'string' }, requested: { oneOf: [{ const: 'guidance' }, { type: 'integer', minimum: 1 }] }, method: { type: 'string' } }),
      chain: obj(['firstSeq', 'lastSeq', 'startsAfter', 'head', 'storeHead'], {
        firstSeq: { type: ['integer', 'null'] },
        lastSeq: { type: ['integer', 'null'] },
        startsAfter: { oneOf: [hex64, { type: 'null' }] },
        head: { oneOf: [hex64, { type: 'null' }] },
        storeHead: obj(['seq', 'hash'], { seq: count, hash: hex64 }),
      }),
      summary: obj(['runs', 'daysWithRuns', 'gapDays', 'partialDays', 'incompleteRuns', 'failures', 'acceptedRisks', 'ruleChanges'], {
        runs: count,
        daysWithRuns: count,
        gapDays: count,
        partialDays: count,
        incompleteRuns: count,
        failures: count,
        acceptedRisks: count,
        ruleChanges: count,
      }),
      frameworks: { type: 'array', items: obj(['id', 'title', 'version'], { id: { type: 'string' }, title: { type: 'string' }, version: { type: 'string' } }) },
      runs: {
        type: 'array',
        description: 'the run log: every run of the scope whose evidence was gathered in the period',
        items: obj(['seq', 'runId', 'day', 'collectedAt', 'evaluatedAt', 'recordedAt', 'scope', 'complete', 'resources', 'findings', 'gaps', 'rulePack', 'snapshotSha256', 'chainHash'], {
          seq: count,
          runId: { type: 'string' },
          day,
          collectedAt: time,
          evaluatedAt: time,
          recordedAt: time,
          scope: { type: 'object' },
          complete: { type: 'boolean' },
          resources: count,
          findings: statusCounts,
          gaps: { type: 'array', items: { type: 'object' } },
          rulePack: { type: 'string' },
          snapshotSha256: hex64,
          chainHash: hex64,
        }),
      },
      gaps: { type: 'array', items: obj(['day', 'kind', 'missing'], { day, kind: { enum: ['no-run', 'partial'] }, missing: strings }) },
      criteria: {
        type: 'array',
        items: obj(['framework', 'id', 'title', 'category', 'rules', 'days', 'timeline', 'population', 'sample', 'failures', 'acceptedRisks'], {
          framework: { type: 'string' },
          id: { type: 'string' },
          title: { type: 'string' },
          category: { type: 'string' },
          rules: strings,
          manualNote: { type: 'string' },
          days: obj(['PASS', 'FAIL', 'UNKNOWN', 'MANUAL', 'GAP'], { PASS: count, FAIL: count, UNKNOWN: count, MANUAL: count, GAP: count }),
          timeline: { type: 'array', items: obj(['day', 'status', 'runs', 'missing'], { day, status: dayStatus, runs: { type: 'array', items: count }, missing: strings }) },
          population: obj(['size', 'byType', 'listings'], {
            size: count,
            byType: { type: 'object', additionalProperties: count },
            listings: { type: 'array', items: obj(['operation', 'resourceTypes', 'runs', 'ok', 'failed'], { operation: { type: 'string' }, resourceTypes: strings, runs: count, ok: count, failed: count }) },
          }),
          sample: obj(['size', 'rule', 'items'], { size: count, rule: { type: 'string' }, items: { type: 'array', items: populationItem } }),
          failures: count,
          acceptedRisks: count,
        }),
      },
      populations: { type: 'array', items: obj(['framework', 'criterion', 'items'], { framework: { type: 'string' }, criterion: { type: 'string' }, items: { type: 'array', items: populationItem } }) },
      failures: {
        type: 'array',
        items: obj(['fingerprint', 'ruleId', 'resourceId', 'resourceType', 'account', 'region', 'severity', 'criteria', 'found', 'resolution', 'days', 'muted', 'message'], {
          fingerprint: { type: 'string' },
          ruleId: { type: 'string' },
          resourceId: { type: 'string' },
          resourceType: { type: 'string' },
          account: { type: 'string' },
          region: { type: 'string' },
          severity,
          criteria: strings,
          found: time,
          ended: time,
          resolution: { enum: ['open', 'fixed', 'not-seen'] },
          days: { type: 'number', minimum: 0 },
          muted: { type: 'boolean' },
          message: { type: 'string' },
        }),
      },
      acceptedRisks: {
        type: 'array',
        items: obj(['reason', 'expires', 'firstApplied', 'lastApplied', 'findings', 'unknownFindings', 'criteria', 'expiredWhileFailing', 'rules'], {
          reason: { type: 'string' },
          owner: { type: 'string' },
          approval: { type: 'string' },
          expires: day,
          source: { type: 'string' },
          firstApplied: time,
          lastApplied: time,
          findings: count,
          unknownFindings: count,
          criteria: strings,
          expiredWhileFailing: { type: 'boolean' },
          rules: strings,
        }),
      },
      rules: {
        type: 'array',
        items: obj(['ruleId', 'version', 'contentHash', 'title', 'severity', 'from', 'to', 'runs'], { ruleId: { type: 'string' }, version: { type: 'string' }, contentHash: hex64, title: { type: 'string' }, severity, from: day, to: day, runs: count }),
      },
      ruleChanges: {
        type: 'array',
        items: obj(['ruleId', 'change', 'day'], { ruleId: { type: 'string' }, change: { enum: ['added', 'removed', 'changed'] }, day, fromVersion: { type: 'string' }, toVersion: { type: 'string' } }),
      },
    },
  ),
};
