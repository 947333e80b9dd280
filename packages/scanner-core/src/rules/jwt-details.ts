import type { SecretFacts } from './secret-facts.js';

function jsonPart(part: string | undefined): Record<string, unknown> | undefined {
  if (part === undefined || !/^[A-Za-z0-9_-]+={0,2}$/.test(part)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A JWT's algorithm and expiry, read from its header and payload (no signature check: that needs the key).
 * Only these claims are reported: `sub`, `email` and the like can be personal data. An `alg: none` token
 * or an expired one is still reported, at lower severity when expired (it may still be replayed where
 * expiry is not checked, and it shows where tokens leak).
 */
export function jwtFacts(secret: string, now: number): SecretFacts | undefined {
  const [headerPart, payloadPart] = secret.split('.');
  const header = jsonPart(headerPart);
  const payload = jsonPart(payloadPart);
  if (header === undefined || payload === undefined) return undefined;
  const details: Record<string, string | number | boolean> = {};
  if (typeof header['alg'] === 'string') details['alg'] = header['alg'].slice(0, 20);
  const exp = payload['exp'];
  if (typeof exp === 'number' && Number.isFinite(exp) && Math.abs(exp) < 1e11) {
    details['exp'] = new Date(exp * 1000).toISOString();
    details['expired'] = exp * 1000 < now;
  }
  return { details, lowerSeverity: details['expired'] === true };
}
