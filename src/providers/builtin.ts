import { ResourceTypeRegistry } from '../core/resource-types/registry';
import { FactRegistry } from '../facts/index';
import { AWS_FACTS } from './aws/facts/index';
import { AWS_TYPES } from './aws/types/index';

/** The built-in resource types of every provider. */
export function builtinRegistry(): ResourceTypeRegistry {
  return new ResourceTypeRegistry(AWS_TYPES);
}

/** The built-in facts of every provider. */
export function builtinFacts(): FactRegistry {
  return new FactRegistry(AWS_FACTS);
}
