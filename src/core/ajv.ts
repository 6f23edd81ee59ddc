import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

/** One ajv instance configuration for every contract, so all schemas behave alike. */
export function createAjv(options: { allErrors?: boolean } = {}): Ajv {
  const ajv = new Ajv({ allErrors: options.allErrors ?? false, strict: true, allowUnionTypes: true, messages: true });
  addFormats(ajv, ['date-time', 'date', 'uri']);
  // Documentation-only keywords used in our schemas.
  ajv.addKeyword({ keyword: 'x-runtime-only' });
  ajv.addKeyword({ keyword: 'x-enum-descriptions' });
  return ajv;
}

/** ajv's error as a short sentence: "must have required property 'id'". */
export function describeAjvError(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties':
      return `unexpected property '${String(p.additionalProperty)}'`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    default:
      return e.message ?? e.keyword;
  }
}

/** Where an ajv error points: the instance path, extended to the offending property when known. */
export function ajvErrorPointer(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${e.instancePath}/${escapePointer(String(p.additionalProperty))}`;
  if (e.keyword === 'required') return e.instancePath;
  return e.instancePath;
}

export function escapePointer(seg: string): string {
  return seg.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function unescapePointer(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}
