export type { Source, SourceContext, ScanWarning } from './source.js';
export { DirSource, type DirSourceOptions } from './dir-source.js';
export { StdinSource } from './stdin-source.js';
export { windowedChunks, DEFAULT_WINDOW, WINDOW_LIMITS, setWindowSize, type WindowOptions } from './windowing.js';
export { bufferChunks, streamChunks } from './read-item.js';
export { sniffContent } from './content-sniff.js';
// git, image and logs have their own entry points (`@leakguard/scanner-core/sources/git`, …) so a command
// loads only the source it runs: the image and log readers cost a pre-commit hook ~0.1 s of start-up.
export { parseShard, inShard, type Shard } from './shard.js';
