export { createProgress } from './create_progress.js';
export {
  type ProgressMode,
  type ProgressOptions,
  type ProgressReporter,
  type ProgressStream,
  resolveProgressMode,
} from './progress_reporter.js';
export {
  type ProgressFields,
  type ProgressSnapshot,
  formatCompact,
  formatDuration,
  formatFieldValue,
  formatProgressLine,
} from './progress_format.js';
