export { locate } from '../core/yaml-source';
