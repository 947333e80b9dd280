import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sniffContent } from './content-sniff.js';

const be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

/** Deterministic bytes that look like nothing: a hash chain. */
function noise(size: number): Buffer {
  const parts: Buffer[] = [];
  let block = Buffer.from('seed');
  for (let total = 0; total < size; total += block.length) parts.push((block = createHash('sha256').update(block).digest()));
  return Buffer.concat(parts).subarray(0, size);
}

describe('sniffContent', () => {
  it.each([
    ['mostly ASCII', 'user = admin\npassword = hunter2\n'],
    ['mostly non-Latin around an ASCII key', `${'€'.repeat(60)}key=${'x'.repeat(20)}\n`],
    ['Cyrillic prose with a surrogate pair', `${'пароль: '.repeat(30)}🔑 token\n`],
  ])('recognises UTF-16 without a BOM: %s', (_name, text) => {
    expect(sniffContent(Buffer.from(text, 'utf16le'))).toBe('utf16le');
    expect(sniffContent(be(text))).toBe('utf16be');
  });

  it('keeps git\'s rule for NULs that are not UTF-16 text', () => {
    expect(sniffContent(Buffer.concat([Buffer.from('TOKEN=abc\n'), Buffer.alloc(512)]))).toBe('binary');
    expect(sniffContent(Buffer.concat([Buffer.from('plain ASCII text with one NUL '.repeat(20)), Buffer.from([0])]))).toBe('binary');
    expect(sniffContent(Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), noise(4000)]))).toBe('binary');
    expect(sniffContent(Buffer.concat([noise(3000), Buffer.alloc(2)]))).toBe('binary');
  });

  it('allows UTF-16 text up to 1 % of U+0000 units, and calls NUL-pair-heavy heads binary', () => {
    // 400 code units: 4 U+0000 are allowed, 5 are not, whichever byte order.
    const text = (nuls: number): string => `${'\u0000'.repeat(nuls)}${'key = value\n'.repeat(40)}`.slice(0, 400);
    expect(sniffContent(Buffer.from(text(4), 'utf16le'))).toBe('utf16le');
    expect(sniffContent(be(text(4)))).toBe('utf16be');
    expect(sniffContent(Buffer.from(text(5), 'utf16le'))).toBe('binary');
    expect(sniffContent(be(text(5)))).toBe('binary');
    // An executable's head: a magic number, then tables full of zero words.
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56), noise(2000), Buffer.alloc(256)]);
    expect(sniffContent(elf)).toBe('binary');
  });

  it('calls UTF-16 with control characters or broken surrogate pairs binary', () => {
    const withControls = Buffer.from(`${'abc\u0001\u0002'.repeat(40)}`, 'utf16le');
    expect(sniffContent(withControls)).toBe('binary');
    const loneSurrogates = Buffer.from('abc\udc41'.repeat(40), 'utf16le');
    expect(sniffContent(loneSurrogates)).toBe('binary');
  });

  it('takes NUL-free bytes as text and a BOM at its word', () => {
    expect(sniffContent(Buffer.from('a=1\n'))).toBe('text');
    expect(sniffContent(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBe('utf16le');
    expect(sniffContent(Buffer.from([0xfe, 0xff, 0x00, 0x41]))).toBe('utf16be');
  });
});
