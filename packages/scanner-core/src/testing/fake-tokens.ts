import { githubStyleToken } from '../rules/checksums.js';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A deterministic pseudo-random generator, so generated fake secrets are stable per seed. */
export function seededRandom(seed: number): () => number {
  let state = Math.imul(seed + 0x9e3779b9, 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

export function randomString(length: number, alphabet: string, random: () => number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(Math.floor(random() * alphabet.length));
  return out;
}

/**
 * Checksum-valid fake GitHub tokens built at run time, so no test source file holds a literal token
 * (the project scans itself clean with only fixtures/ and rules/ allow-listed).
 */
export function fakeGithubToken(seed: number, prefix: 'ghp' | 'gho' | 'ghu' | 'ghs' = 'ghp'): string {
  return githubStyleToken(prefix, randomString(30, ALPHANUMERIC, seededRandom(seed)));
}
