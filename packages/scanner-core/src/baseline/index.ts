export {
  DEFAULT_BASELINE_FILE,
  entryKey,
  fingerprintKeyCheck,
  formatBaseline,
  parseBaseline,
  readBaseline,
  type Baseline,
  type BaselineEntry,
} from './baseline-file.js';
export { BaselineFilter } from './baseline-filter.js';
export { BaselineWriter, writeBaseline } from './baseline-writer.js';
