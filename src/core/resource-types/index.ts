export { ResourceTypeRegistry, type ResourceTypeDef } from './registry';
