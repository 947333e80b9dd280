export { run } from './run.js';
export type { CliIo, ExitCode } from './io.js';
export { VERSION } from './version.js';
