import { CONTROL_STATUSES, COVERAGE_OUTCOMES, READABLE_RESULTS_VERSIONS, SEVERITIES, STATUSES } from './types';
import type { JsonSchema } from './resource-types/schema-helpers';
import { coverageSchema, metadataSchema } from './snapshot-schema';

/** JSON Schema of the results contract (`evaluate --format json`); the types are in types.ts. */

const counts = (keys: readonly string[]): JsonSchema => ({
  type: 'object',
  required: [...keys],
  additionalProperties: false,
  properties: Object.fromEntries(keys.map((k) => [k, { type: 'integer', minimum: 0 }])),
});

const source = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: {
    kind: { enum: ['runtime', 'terraform', 'cloudformation'] },
    file: { type: 'string' },
    line: { type: 'integer', minimum: 1 },
    address: { type: 'string' },
  },
};

export const findingSchema: JsonSchema = {
  type: 'object',
  required: ['ruleId', 'ruleVersion', 'title', 'status', 'severity', 'resource', 'soc2', 'message', 'evidence', 'remediation', 'fingerprint'],
  additionalProperties: false,
  properties: {
    ruleId: { type: 'string' },
    ruleVersion: { type: 'string', pattern: '^[0-9a-f]{12}$' },
    title: { type: 'string' },
    status: { enum: [...STATUSES] },
    severity: { enum: [...SEVERITIES] },
    resource: {
      type: 'object',
      required: ['id', 'type', 'provider', 'account', 'region'],
      additionalProperties: false,
      properties: {
        id: { type: 'string' },
        type: { type: 'string' },
        provider: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
        account: { type: 'string' },
        region: { type: 'string' },
        name: { type: 'string' },
        source,
      },
    },
    soc2: { type: 'array', items: { type: 'string' } },
    frameworks: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
    message: { type: 'string' },
    evidence: { type: 'object' },
    unknownEvidence: { type: 'array', items: { type: 'string' } },
    unknownReasons: { type: 'array', items: { type: 'string' } },
    remediation: { type: 'string' },
    fingerprint: { type: 'string', pattern: '^[0-9a-f]{32}$' },
    suppression: {
      type: 'object',
      required: ['reason', 'expires', 'originalStatus'],
      additionalProperties: false,
      properties: {
        reason: { type: 'string' },
        expires: { type: 'string' },
        owner: { type: 'string' },
        ticket: { type: 'string' },
        source: { type: 'string' },
        originalStatus: { enum: ['PASS', 'FAIL', 'UNKNOWN'] },
      },
    },
  },
};

export const controlSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'category', 'title', 'status', 'counts', 'rules', 'complete', 'note', 'exceptions'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    category: { type: 'string' },
    title: { type: 'string' },
    status: { enum: [...CONTROL_STATUSES] },
    counts: counts(STATUSES),
    rules: { type: 'array', items: { type: 'string' } },
    complete: { type: 'boolean' },
    note: { type: 'string' },
    exceptions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['fingerprint', 'ruleId', 'resourceId', 'reason', 'expires'],
        additionalProperties: false,
        properties: {
          fingerprint: { type: 'string' },
          ruleId: { type: 'string' },
          resourceId: { type: 'string' },
          reason: { type: 'string' },
          owner: { type: 'string' },
          expires: { type: 'string' },
          ticket: { type: 'string' },
          originalStatus: { enum: ['PASS', 'FAIL', 'UNKNOWN'] },
        },
      },
    },
  },
};

const suppressionNotice: JsonSchema = {
  type: 'object',
  required: ['source', 'reason', 'expires', 'match'],
  additionalProperties: false,
  properties: {
    source: { type: 'string' },
    reason: { type: 'string' },
    expires: { type: 'string' },
    owner: { type: 'string' },
    ticket: { type: 'string' },
    match: { type: 'object' },
  },
};

const statusCounts = (): JsonSchema => counts(STATUSES);

/** One framework's roll-up (`frameworks.<id>`). */
export const rollupSchema: JsonSchema = {
  type: 'object',
  required: ['framework', 'summary', 'controls'],
  additionalProperties: false,
  properties: {
    framework: {
      type: 'object',
      required: ['id', 'title', 'version'],
      additionalProperties: false,
      properties: { id: { type: 'string' }, title: { type: 'string' }, version: { type: 'string' } },
    },
    summary: counts(CONTROL_STATUSES),
    controls: { type: 'array', minItems: 1, items: controlSchema },
  },
};

const ruleRecordSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'version', 'title', 'severity', 'resourceType', 'frameworks'],
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    version: { type: 'string' },
    title: { type: 'string' },
    severity: { enum: [...SEVERITIES] },
    resourceType: { type: 'string' },
    frameworks: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
  },
};

const accountSchema: JsonSchema = {
  type: 'object',
  required: ['provider', 'account', 'resources', 'findings', 'gaps', 'complete'],
  additionalProperties: false,
  properties: {
    provider: { type: 'string' },
    account: { type: 'string' },
    resources: { type: 'integer', minimum: 0 },
    findings: statusCounts(),
    gaps: { type: 'integer', minimum: 0 },
    complete: { type: 'boolean' },
  },
};

export const resultsSchema: JsonSchema = {
  $id: 'https://trustscan.dev/schemas/results-2.json',
  title: 'trustscan results',
  type: 'object',
  required: ['schemaVersion', 'scan', 'summary', 'findings', 'frameworks'],
  additionalProperties: false,
  properties: {
    schemaVersion: { enum: [...READABLE_RESULTS_VERSIONS] },
    scan: {
      type: 'object',
      required: ['runId', 'tool', 'snapshot', 'scanTime', 'evaluatedAt', 'rules', 'resources', 'complete', 'accounts', 'gaps'],
      additionalProperties: false,
      properties: {
        runId: { type: 'string', minLength: 1 },
        tool: metadataSchema.properties && (metadataSchema.properties as Record<string, JsonSchema>).tool,
        snapshot: {
          ...metadataSchema,
          required: [...((metadataSchema.required as string[]) ?? []), 'sha256'],
          properties: { ...(metadataSchema.properties as Record<string, JsonSchema>), file: { type: 'string' }, sha256: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
        },
        scanTime: { type: 'string', format: 'date-time' },
        evaluatedAt: { type: 'string', format: 'date-time' },
        rules: {
          type: 'object',
          required: ['count', 'packVersion', 'catalog'],
          additionalProperties: false,
          properties: { count: { type: 'integer', minimum: 0 }, packVersion: { type: 'string' }, catalog: { type: 'array', items: ruleRecordSchema } },
        },
        resources: { type: 'integer', minimum: 0 },
        complete: { type: 'boolean' },
        accounts: { type: 'array', items: accountSchema },
        gaps: {
          type: 'array',
          items: {
            ...coverageSchema,
            required: [...((coverageSchema.required as string[]) ?? []), 'rules'],
            properties: {
              ...(coverageSchema.properties as Record<string, JsonSchema>),
              outcome: { enum: COVERAGE_OUTCOMES.filter((o) => o !== 'ok') },
              rules: { type: 'array', items: { type: 'string' } },
            },
          },
        },
        suppressions: {
          type: 'object',
          required: ['muted', 'expired', 'unused'],
          additionalProperties: false,
          properties: {
            muted: { type: 'integer', minimum: 0 },
            expired: { type: 'array', items: suppressionNotice },
            unused: { type: 'array', items: suppressionNotice },
            active: {
              type: 'array',
              items: {
                ...suppressionNotice,
                required: [...(suppressionNotice.required as string[]), 'muted'],
                properties: { ...(suppressionNotice.properties as Record<string, JsonSchema>), muted: { type: 'integer', minimum: 0 } },
              },
            },
          },
        },
      },
    },
    summary: {
      type: 'object',
      required: ['findings', 'byStatus', 'failBySeverity'],
      additionalProperties: false,
      properties: {
        findings: { type: 'integer', minimum: 0 },
        byStatus: counts(STATUSES),
        failBySeverity: counts(SEVERITIES),
      },
    },
    findings: { type: 'array', items: findingSchema },
    frameworks: {
      type: 'object',
      required: ['soc2'],
      description: 'roll-up per framework id; soc2 always',
      properties: { soc2: rollupSchema },
      additionalProperties: rollupSchema,
    },
  },
};
