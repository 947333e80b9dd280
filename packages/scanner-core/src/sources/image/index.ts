export { ImageSource, type ImageSourceOptions } from './image-source.js';
export { ArchiveProvider, type ArchiveProviderOptions } from './archive-provider.js';
export type { ImageProvider, ImageAccess, RandomAccessImages, StreamedArchive } from './image-provider.js';
export type { ImageDescription, LayerDescriptor } from './image-description.js';
export { LayerCache, layerScanKey, type LayerResult } from './layer-cache.js';
export { parsePlatform, formatPlatform, DEFAULT_PLATFORM, type Platform } from './platform.js';
export { DEFAULT_MAX_DECOMPRESSION_RATIO } from './decompress.js';
