// Reads every chunk the git history source yields without matching any rule: the cost of getting the bytes
// out of git (the attribution log naming each blob, cat-file stream parsing) apart from the engine's.
// Usage: node scripts/bench/git-source-only.mjs <repo>
import { GitHistorySource } from '../../packages/scanner-core/dist/sources/git/index.js';

const repo = process.argv[2] ?? '.';
let bytes = 0;
let chunks = 0;
const context = {
  signal: new AbortController().signal,
  warn: () => undefined,
  skip: () => undefined,
  scanned: (n) => {
    bytes += n;
  },
  inShard: () => true,
};
for await (const _chunk of new GitHistorySource(repo).chunks(context)) chunks++;
console.error(`${chunks} chunks, ${(bytes / 1e6).toFixed(1)} MB`);
