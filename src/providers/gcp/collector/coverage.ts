/** The coverage recorder every collector shares (src/core/coverage-recorder.ts). */
export { CoverageRecorder } from '../../../core/coverage-recorder';
