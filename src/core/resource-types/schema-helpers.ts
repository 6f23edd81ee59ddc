/**
 * Small builders for resource property schemas, so each type file reads like a field list.
 * Every object is closed (additionalProperties: false) and every listed field is required:
 * a collector that forgets a field, or misspells one, fails validation instead of silently
 * producing a property no rule reads.
 */

export type JsonSchema = Record<string, unknown>;

export const str = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });
export const bool = (description?: string): JsonSchema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const int = (description?: string): JsonSchema => ({ type: 'integer', ...(description ? { description } : {}) });
export const dateTime = (description?: string): JsonSchema => ({
  type: 'string',
  format: 'date-time',
  ...(description ? { description } : {}),
});
export const strEnum = (values: string[], description?: string): JsonSchema => ({
  type: 'string',
  enum: values,
  ...(description ? { description } : {}),
});
export const arr = (items: JsonSchema, description?: string): JsonSchema => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
});

/** A closed object whose listed fields are all required unless named in `optional`. */
export function obj(properties: Record<string, JsonSchema>, description?: string, optional: string[] = []): JsonSchema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
    ...(description ? { description } : {}),
  };
}

/** The same schema, also allowing null ("not configured" or "not applicable"). */
export function nullable(schema: JsonSchema, description?: string): JsonSchema {
  const t = schema.type;
  if (typeof t === 'string') {
    const out: JsonSchema = { ...schema, type: [t, 'null'] };
    if (Array.isArray(schema.enum)) out.enum = [...(schema.enum as unknown[]), null];
    if (description) out.description = description;
    return out;
  }
  return { anyOf: [schema, { type: 'null' }], ...(description ? { description } : {}) };
}

/** A string→string map such as tags. */
export const stringMap = (description?: string): JsonSchema => ({
  type: 'object',
  additionalProperties: { type: 'string' },
  ...(description ? { description } : {}),
});

/**
 * An IAM-style policy document, decoded from JSON. Left open on purpose: rules should read the
 * derived facts (facts/) about a policy, not walk its statements.
 */
export const policyDocument = (description = 'Policy document (decoded JSON)'): JsonSchema => ({
  type: ['object', 'null'],
  description,
});
