export { GitHistorySource, type GitHistoryOptions } from './git-history-source.js';
export { GitDiffSource, type GitDiffMode } from './git-diff-source.js';
export { resolveRange, type ResolvedRange } from './git-range.js';
export { BlobIntroductions, type BlobIntroduction, type CommitInfo } from './blob-introductions.js';
export { CatFileParser, catFileEvents, type CatFileEvent, type CatFileParserOptions } from './cat-file-stream.js';
export { PatchParser, type PatchEvent, type PatchFile } from './patch-parser.js';
export {
  installPreCommitHook,
  uninstallPreCommitHook,
  preCommitHookPath,
  hookScript,
  HOOK_MARKER,
  type HookInstallOptions,
  type HookInstallResult,
  type HookUninstallResult,
} from './hook-installer.js';
