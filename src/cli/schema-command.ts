import { readFileSync } from 'node:fs';
import { builtinCatalog } from '../catalog';
import { FRAMEWORK_SCHEMA_FILE } from '../compliance/framework-loader';
import { configSchemaWith } from '../config/config';
import { resultsSchema } from '../core/results-schema';
import { snapshotSchema } from '../core/snapshot-schema';
import { RULE_SCHEMA_FILE } from '../engine/rule-loader';
import { configSections } from './output-options';

/** `trustscan schema WHICH`: the JSON Schema of one of the documents trustscan reads or writes. */
export function schemaText(which: 'snapshot' | 'rule' | 'results' | 'config' | 'framework'): string {
  switch (which) {
    case 'rule':
      return readFileSync(RULE_SCHEMA_FILE, 'utf8');
    case 'framework':
      return readFileSync(FRAMEWORK_SCHEMA_FILE, 'utf8');
    case 'config':
      return JSON.stringify(configSchemaWith(configSections(builtinCatalog())), null, 2);
    case 'results':
      return JSON.stringify(resultsSchema, null, 2);
    case 'snapshot':
      return JSON.stringify(snapshotSchema, null, 2);
  }
}
