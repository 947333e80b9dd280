import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BlobRef } from './blob-introductions.js';
import { RequestQueue } from './request-queue.js';

const id = (n: number, algorithm = 'sha1'): string => createHash(algorithm).update(String(n)).digest('hex');

describe('RequestQueue', () => {
  it('gives requests back in order, each with its path and predecessor, SHA-1 or SHA-256, while it grows and wraps', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()), { maxLength: 3000 }), (ops) => {
        const queue = new RequestQueue();
        const expected: BlobRef[] = [];
        let n = 0;
        for (const [push, withPredecessor, sha256] of ops) {
          if (push || expected.length === 0) {
            n++;
            const algorithm = sha256 ? 'sha256' : 'sha1';
            const ref = { oid: id(n, algorithm), path: `dir ${n}/file\n${n}`, predecessor: withPredecessor ? id(-n, algorithm) : undefined };
            queue.push(ref);
            expected.push(ref);
          } else expect(queue.shift()).toEqual(expected.shift());
          expect(queue.length).toBe(expected.length);
        }
        while (expected.length > 0) expect(queue.shift()).toEqual(expected.shift());
        expect(queue.shift()).toBeUndefined();
      }),
      { numRuns: 60 },
    );
  });

  it('refuses what is not an object id in lowercase hex, rather than give back other text', () => {
    const queue = new RequestQueue();
    for (const oid of ['xyz', `${id(1)}0`, id(1).toUpperCase(), `${id(1, 'sha256')}00`]) {
      expect(() => queue.push({ oid, path: 'a' })).toThrow(/not an object id/);
    }
  });
});
