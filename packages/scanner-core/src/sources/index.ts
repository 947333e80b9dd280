export type { Source, SourceContext, ScanWarning } from './source.js';
export { DirSource, type DirSourceOptions } from './dir-source.js';
export { StdinSource } from './stdin-source.js';
export { windowedChunks, DEFAULT_WINDOW, type WindowOptions } from './windowing.js';
export { bufferChunks, streamChunks } from './read-item.js';
export { sniffContent } from './content-sniff.js';
export * from './image/index.js';
export * from './git/index.js';
export * from './logs/index.js';
