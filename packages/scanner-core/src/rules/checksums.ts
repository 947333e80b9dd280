import { createHash } from 'node:crypto';
import { crc32 } from './crc32.js';
import { jwtFacts } from './jwt-details.js';
import { pemFacts } from './pem-details.js';
import type { SecretFacts } from './secret-facts.js';

/**
 * Offline validators a rule can name with `checksum:`. Each takes the captured secret and says whether
 * its built-in structure holds. A failing check drops the candidate: it cannot be a real token.
 */
export interface ChecksumValidator {
  readonly validate: (secret: string) => boolean;
  /**
   * `drop`: a failing value is not this kind of secret at all (a JWT whose header is not JSON).
   * `flag`: keep it, marked `checksum: invalid` and ranked lower. Used for CRC checksums, because a
   * hand-edited or truncated real token still deserves attention.
   */
  readonly onFailure: 'drop' | 'flag';
  /** Optional: facts read from a valid secret's structure (JWT `alg`/`exp`, PEM key type), to report and rank. */
  readonly describe?: (secret: string, now: number) => SecretFacts | undefined;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function base62(n: number, width: number): string {
  let out = '';
  let rest = n >>> 0;
  while (rest > 0) {
    out = BASE62.charAt(rest % 62) + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/**
 * GitHub's token format (also used by npm's `npm_` tokens): prefix `xxx_`, 30 random base62 characters,
 * then the CRC32 of those 30 characters (prefix included in GitHub's case) as 6 base62 digits.
 */
function prefixedCrc32(secret: string): boolean {
  const underscore = secret.lastIndexOf('_');
  if (underscore < 0) return false;
  const body = secret.slice(0, -6);
  const check = secret.slice(-6);
  const random = body.slice(underscore + 1);
  return base62(crc32(Buffer.from(body)), 6) === check || base62(crc32(Buffer.from(random)), 6) === check;
}

function decodeBase64Url(part: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(part)) return undefined;
  return Buffer.from(part, 'base64url').toString('utf8');
}

function isJsonObject(text: string | undefined): boolean {
  if (text === undefined) return false;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}

/** A JWT: header and payload are base64url JSON objects and the header names an algorithm. */
function jwt(secret: string): boolean {
  const [header, payload] = secret.split('.');
  if (header === undefined || payload === undefined) return false;
  const headerText = decodeBase64Url(header);
  if (!isJsonObject(headerText) || !isJsonObject(decodeBase64Url(payload))) return false;
  return 'alg' in (JSON.parse(headerText ?? '{}') as object);
}

/** A PEM body: after the header line, the base64 payload decodes to at least a minimal DER structure. */
function pem(secret: string): boolean {
  const body = secret
    .replace(/-----[A-Z0-9 ]+-----/g, '')
    .split(/\r?\n|\\n/)
    .filter((l) => !/^[A-Za-z-]+:/.test(l))
    .join('')
    .replace(/[\s"'\\]/g, '');
  if (body.length < 40 || !/^[A-Za-z0-9+/=]+$/.test(body)) return false;
  const der = Buffer.from(body, 'base64');
  // DER SEQUENCE (RSA/EC/PKCS8) or the OpenSSH and PGP binary magic.
  return der[0] === 0x30 || der.subarray(0, 14).toString('latin1') === 'openssh-key-v1' || (der[0] ?? 0) >= 0x80;
}

/** Slack/Stripe-like tokens carry no checksum; this one is for the AWS key id's base32 account encoding. */
function awsAccessKeyId(secret: string): boolean {
  return /^(AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16}$/.test(secret);
}

/** PyPI tokens are macaroons: `pypi-` + base64 of a binary macaroon that starts with the location. */
function pypiMacaroon(secret: string): boolean {
  const decoded = Buffer.from(secret.slice(5).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('latin1');
  return decoded.includes('pypi.org') || decoded.includes('test.pypi');
}

export const CHECKSUMS: Readonly<Record<string, ChecksumValidator>> = {
  'github-crc32': { validate: prefixedCrc32, onFailure: 'flag' },
  'npm-crc32': { validate: prefixedCrc32, onFailure: 'flag' },
  jwt: { validate: jwt, onFailure: 'drop', describe: jwtFacts },
  pem: { validate: pem, onFailure: 'drop', describe: pemFacts },
  'aws-access-key-id': { validate: awsAccessKeyId, onFailure: 'drop' },
  'pypi-macaroon': { validate: pypiMacaroon, onFailure: 'drop' },
};

/** Digest helper for tests that need to build checksum-valid fake tokens. */
export function githubStyleToken(prefix: string, random30: string): string {
  return `${prefix}_${random30}${base62(crc32(Buffer.from(random30)), 6)}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
