import { COVERAGE_OUTCOMES, SNAPSHOT_SCHEMA_VERSION } from './types';
import type { JsonSchema } from './resource-types/schema-helpers';

/**
 * JSON Schemas of the snapshot contract (types in types.ts).
 *
 * Two physical forms carry the same content:
 *
 * 1. One JSON document: `{ "schemaVersion": "1.0", "metadata": {…}, "resources": […], "coverage": […] }`.
 * 2. NDJSON, for snapshots too large to hold twice in memory. One JSON object per line:
 *    - line 1, the header: `{ "format": "trustscan-snapshot-ndjson", "schemaVersion": "1.0", "metadata": {…} }`
 *      (`metadata.finishedAt` may be left out here and given by the trailer);
 *    - then any number of `{ "resource": {…} }` and `{ "coverage": {…} }` lines, in any order;
 *    - last, the trailer: `{ "end": { "finishedAt": "…", "resources": N, "coverage": M } }`.
 *    A stream without its trailer, or whose counts disagree, was cut short and is rejected.
 *
 * `properties` of each resource is validated separately against the schema its type registers.
 */

export const NDJSON_FORMAT = 'trustscan-snapshot-ndjson';

const provider = { type: 'string', pattern: '^[a-z][a-z0-9-]*$', description: 'a provider plug-in id' };

export const metadataSchema: JsonSchema = {
  type: 'object',
  required: ['tool', 'startedAt', 'finishedAt', 'providers', 'accounts'],
  additionalProperties: false,
  properties: {
    tool: {
      type: 'object',
      required: ['name', 'version'],
      additionalProperties: false,
      properties: { name: { type: 'string' }, version: { type: 'string' } },
    },
    startedAt: { type: 'string', format: 'date-time' },
    finishedAt: { type: 'string', format: 'date-time' },
    providers: { type: 'array', items: provider, uniqueItems: true },
    accounts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['provider', 'id'],
        additionalProperties: false,
        properties: { provider, id: { type: 'string', minLength: 1 }, name: { type: 'string' } },
      },
    },
    description: { type: 'string' },
    collectedBy: {
      type: 'array',
      description: 'who collected the snapshot, per provider: the principal the credentials resolved to (never a secret)',
      items: {
        type: 'object',
        required: ['provider', 'principal'],
        additionalProperties: false,
        properties: { provider, principal: { type: 'string', minLength: 1 }, via: { type: 'string' } },
      },
    },
    shard: {
      type: 'object',
      description: 'set on one part of a sharded scan (--shard i/N): the units it was responsible for, and the whole unit list',
      required: ['index', 'count', 'provider', 'units', 'allUnits', 'unitListSha256'],
      additionalProperties: false,
      properties: {
        index: { type: 'integer', minimum: 0 },
        count: { type: 'integer', minimum: 1 },
        provider,
        units: { type: 'array', items: { type: 'string', minLength: 1 } },
        allUnits: { type: 'array', items: { type: 'string', minLength: 1 } },
        unitListSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      },
    },
    shards: {
      type: 'array',
      description: 'set on the merge of sharded scans (one entry per provider): which parts were merged and which were missing',
      items: {
      type: 'object',
      required: ['count', 'provider', 'unitListSha256', 'units', 'parts', 'missing'],
      additionalProperties: false,
      properties: {
        count: { type: 'integer', minimum: 1 },
        provider,
        unitListSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        units: { type: 'integer', minimum: 0 },
        parts: {
          type: 'array',
          items: {
            type: 'object',
            required: ['index', 'file', 'units'],
            additionalProperties: false,
            properties: { index: { type: 'integer', minimum: 0 }, file: { type: 'string' }, units: { type: 'integer', minimum: 0 } },
          },
        },
        missing: {
          type: 'array',
          items: {
            type: 'object',
            required: ['index', 'units', 'reason'],
            additionalProperties: false,
            properties: { index: { type: 'integer', minimum: 0 }, units: { type: 'array', items: { type: 'string' } }, reason: { type: 'string' } },
          },
        },
      },
      },
    },
  },
};

export const resourceSchema: JsonSchema = {
  type: 'object',
  required: ['id', 'type', 'provider', 'account', 'region', 'source', 'properties'],
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1 },
    type: { type: 'string', pattern: '^[a-z0-9]+(\\.[a-z0-9-]+)+$' },
    provider,
    account: { type: 'string', minLength: 1 },
    region: { type: 'string', minLength: 1 },
    name: { type: 'string' },
    tags: { type: 'object', additionalProperties: { type: 'string' } },
    source: {
      type: 'object',
      required: ['kind'],
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['runtime', 'terraform', 'cloudformation'] },
        file: { type: 'string' },
        line: { type: 'integer', minimum: 1 },
        address: { type: 'string' },
        context: { type: 'boolean' },
      },
    },
    properties: { type: 'object' },
    unknown: { type: 'array', items: { type: 'string', minLength: 1 } },
    unknownReasons: { type: 'object', additionalProperties: { type: 'string' } },
    present: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'paths listed in unknown whose value is certainly set (not null, not absent)' },
  },
};

export const coverageSchema: JsonSchema = {
  type: 'object',
  required: ['provider', 'account', 'region', 'service', 'operation', 'outcome'],
  additionalProperties: false,
  properties: {
    provider,
    account: { type: 'string', minLength: 1 },
    region: { type: 'string', minLength: 1 },
    service: { type: 'string', minLength: 1 },
    operation: { type: 'string', minLength: 1 },
    outcome: { type: 'string', enum: [...COVERAGE_OUTCOMES] },
    message: { type: 'string' },
    calls: { type: 'integer', minimum: 0 },
    resourceId: { type: 'string' },
    affects: { type: 'array', items: { type: 'string' } },
  },
};

export const snapshotSchema: JsonSchema = {
  $id: 'https://trustscan.dev/schemas/snapshot-1.json',
  title: 'trustscan snapshot',
  type: 'object',
  required: ['schemaVersion', 'metadata', 'resources', 'coverage'],
  additionalProperties: false,
  properties: {
    schemaVersion: { type: 'string', const: SNAPSHOT_SCHEMA_VERSION },
    metadata: metadataSchema,
    resources: { type: 'array', items: resourceSchema },
    coverage: { type: 'array', items: coverageSchema },
  },
};

export const ndjsonHeaderSchema: JsonSchema = {
  type: 'object',
  required: ['format', 'schemaVersion', 'metadata'],
  additionalProperties: false,
  properties: {
    format: { const: NDJSON_FORMAT },
    schemaVersion: { type: 'string' },
    metadata: { ...metadataSchema, required: ['tool', 'startedAt', 'providers', 'accounts'] },
  },
};

export const ndjsonTrailerSchema: JsonSchema = {
  type: 'object',
  required: ['finishedAt', 'resources', 'coverage'],
  additionalProperties: false,
  properties: {
    finishedAt: { type: 'string', format: 'date-time' },
    resources: { type: 'integer', minimum: 0 },
    coverage: { type: 'integer', minimum: 0 },
  },
};
