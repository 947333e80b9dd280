import type { SecretFacts } from './secret-facts.js';

/** Algorithm OIDs (DER content bytes, hex) of PKCS#8 private keys. */
const KEY_OIDS: Record<string, string> = {
  '2a864886f70d010101': 'rsa',
  '2a864886f70d01010a': 'rsa-pss',
  '2a8648ce3d0201': 'ec',
  '2a8648ce380401': 'dsa',
  '2b6570': 'ed25519',
  '2b6571': 'ed448',
  '2b656e': 'x25519',
  '2b656f': 'x448',
};

const LABEL_TYPES: Record<string, string> = {
  'RSA PRIVATE KEY': 'rsa',
  'EC PRIVATE KEY': 'ec',
  'DSA PRIVATE KEY': 'dsa',
  'PGP PRIVATE KEY BLOCK': 'pgp',
  'ENCRYPTED PRIVATE KEY': 'pkcs8-encrypted',
};

/** Reads one DER tag-length header at `at`: the content's start and length, or undefined. */
function derHeader(der: Buffer, at: number): { tag: number; start: number; length: number } | undefined {
  const tag = der[at];
  let length = der[at + 1];
  if (tag === undefined || length === undefined) return undefined;
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) return undefined;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (der[start + i] ?? 0);
    start += n;
  }
  return start + length <= der.length ? { tag, start, length } : undefined;
}

/** The DER elements directly inside the SEQUENCE at offset 0 (tags and content positions), at most `max`. */
function sequenceItems(der: Buffer, max = 12): { tag: number; start: number; length: number }[] {
  const outer = derHeader(der, 0);
  if (outer?.tag !== 0x30) return [];
  const items: { tag: number; start: number; length: number }[] = [];
  for (let at = outer.start; at < outer.start + outer.length && items.length < max; ) {
    const item = derHeader(der, at);
    if (item === undefined) break;
    items.push(item);
    at = item.start + item.length;
  }
  return items;
}

/**
 * The key type from the DER structure alone (the rules capture the base64 body, not the BEGIN line):
 * PKCS#8 names its algorithm by OID; PKCS#1 RSA is 9 INTEGERs, DSA 6; SEC1 EC is version 1 then an
 * OCTET STRING; encrypted PKCS#8 starts with the encryption algorithm's SEQUENCE.
 */
function derKeyType(der: Buffer): { type: string; encrypted?: boolean } | undefined {
  const items = sequenceItems(der);
  const [first, second] = items;
  if (first === undefined || second === undefined) return undefined;
  if (first.tag === 0x30 && second.tag === 0x04) return { type: 'pkcs8-encrypted', encrypted: true };
  if (first.tag !== 0x02) return undefined;
  if (second.tag === 0x30) {
    const oid = derHeader(der, second.start);
    if (oid?.tag !== 0x06) return undefined;
    return { type: KEY_OIDS[der.toString('hex', oid.start, oid.start + oid.length)] ?? 'unknown' };
  }
  if (second.tag === 0x04) return { type: 'ec' };
  if (second.tag === 0x02) return { type: items.length >= 9 ? 'rsa' : items.length === 6 ? 'dsa' : 'unknown' };
  return undefined;
}

/** openssh-key-v1: magic, string cipher, string kdf, string kdfoptions, uint32 n, string pubkey (string type, ...). */
function opensshKey(der: Buffer): { type: string; encrypted: boolean } | undefined {
  const magic = 'openssh-key-v1\0';
  if (der.toString('latin1', 0, magic.length) !== magic) return undefined;
  let at = magic.length;
  const str = (): string | undefined => {
    if (at + 4 > der.length) return undefined;
    const n = der.readUInt32BE(at);
    if (n > 4096 || at + 4 + n > der.length) return undefined;
    const text = der.toString('latin1', at + 4, at + 4 + n);
    at += 4 + n;
    return text;
  };
  const cipher = str();
  str();
  str();
  at += 4;
  at += 4; // length of the public key blob; its first field is the key type
  const type = str();
  if (cipher === undefined || type === undefined || !/^[\w@.-]{1,64}$/.test(type)) return undefined;
  return { type, encrypted: cipher !== 'none' };
}

/** The key type (and whether it is passphrase-encrypted) of a PEM private key block or its body. */
export function pemFacts(secret: string): SecretFacts | undefined {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(secret)?.[1];
  const encryptedHeader = /Proc-Type:\s*4,ENCRYPTED/.test(secret);
  const body = secret
    .replace(/-----[A-Z0-9 ]+-----/g, '')
    .split(/\r?\n|\\n/)
    .filter((l) => !/^[A-Za-z-]+:/.test(l.trim()))
    .join('')
    .replace(/[\s"'\\]/g, '');
  const der = Buffer.from(body, 'base64');
  const details: Record<string, string | number | boolean> = {};
  const known = opensshKey(der) ?? (encryptedHeader ? undefined : derKeyType(der));
  if (known !== undefined) {
    details['keyType'] = known.type;
    if (known.encrypted !== undefined) details['encrypted'] = known.encrypted;
  } else if (label !== undefined) {
    details['keyType'] = LABEL_TYPES[label] ?? label.toLowerCase().replace(/ /g, '-');
  } else if ((der[0] ?? 0) >= 0x80 && !encryptedHeader) {
    details['keyType'] = 'pgp';
  }
  if (encryptedHeader) details['encrypted'] = true;
  return Object.keys(details).length === 0 ? undefined : { details };
}
