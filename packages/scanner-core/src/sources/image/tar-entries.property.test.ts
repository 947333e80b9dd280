import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tarOf } from '../../testing/image-fixtures.js';
import { readBody, tarEntries } from './tar-entries.js';

/** Feeds `data` in pieces cut at the given sizes (cycled), like a network or gunzip stream would. */
async function* pieces(data: Buffer, sizes: readonly number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length] ?? 512;
    yield data.subarray(at, at + n);
    at += n;
  }
}

interface Outcome {
  readonly names: string[];
  readonly error?: Error;
}

/** Reads every member (bodies in full, or left for the reader to drain); an error ends the read. */
async function readAll(data: Buffer, sizes: readonly number[], readBodies: boolean): Promise<Outcome> {
  const names: string[] = [];
  try {
    for await (const entry of tarEntries(pieces(data, sizes))) {
      names.push(entry.name);
      if (readBodies) await readBody(entry.body);
    }
  } catch (error) {
    return { names, error: error as Error };
  }
  return { names };
}

const splits = fc.array(fc.integer({ min: 1, max: 2048 }), { minLength: 1, maxLength: 8 });

describe('tarEntries on arbitrary bytes (fast-check)', () => {
  it('never hangs and never throws anything but an Error with a one-line message, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 4096 }), splits, fc.boolean(), async (bytes, sizes, readBodies) => {
        const outcome = await readAll(Buffer.from(bytes), sizes, readBodies);
        if (outcome.error !== undefined) {
          expect(outcome.error).toBeInstanceOf(Error);
          expect(outcome.error.message).not.toContain('\n');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('a valid tar damaged anywhere (bytes flipped, cut short) yields the members before the damage, then at most an Error', async () => {
    const members = Array.from({ length: 6 }, (_, i) => ({ name: `dir/file-${i}.txt`, content: `content ${i}\n`.repeat(20 + i * 30) }));
    const tar = await tarOf(members);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: tar.length - 1 }),
        fc.integer({ min: 1, max: 600 }),
        fc.constantFrom('flip', 'cut', 'zero'),
        splits,
        async (at, length, damage, sizes) => {
          const data = Buffer.from(tar);
          if (damage === 'cut') {
            const outcome = await readAll(data.subarray(0, at), sizes, true);
            expect(outcome.names).toEqual(members.map((m) => m.name).slice(0, outcome.names.length));
            return;
          }
          for (let i = at; i < Math.min(data.length, at + length); i++) data[i] = damage === 'flip' ? (data[i] ?? 0) ^ 0xa5 : 0;
          const outcome = await readAll(data, sizes, true);
          // Members wholly before the damaged 512-byte block are intact and come first, in order.
          const intact = members.filter((_, i) => offsetAfter(members, i) <= Math.floor(at / 512) * 512).map((m) => m.name);
          expect(outcome.names.slice(0, intact.length)).toEqual(intact);
          if (outcome.error !== undefined) expect(outcome.error.message).not.toContain('\n');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('valid headers declaring any size (up to 8 GiB) and type over random bytes: completes or ends in an Error', async () => {
    const [header] = splitBlocks(await tarOf([{ name: 'x', content: 'x' }]));
    await fc.assert(
      fc.asyncProperty(
        fc.bigInt({ min: 0n, max: 8n ** 11n - 1n }),
        fc.constantFrom('0', '1', '2', '3', '5', 'g', 'x', 'L', 'K', 'S'),
        fc.uint8Array({ maxLength: 3000 }),
        splits,
        async (size, type, rest, sizes) => {
          const outcome = await readAll(Buffer.concat([rewrite(header ?? Buffer.alloc(512), size, type), Buffer.from(rest)]), sizes, true);
          if (outcome.error !== undefined) expect(outcome.error.message).not.toContain('\n');
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the member list does not depend on how the input is cut into pieces', async () => {
    const tar = await tarOf(Array.from({ length: 5 }, (_, i) => ({ name: `m${i}`, content: Buffer.alloc(700 * i + 1, 65 + i) })));
    const expected = (await readAll(tar, [tar.length], true)).names;
    await fc.assert(
      fc.asyncProperty(splits, fc.boolean(), async (sizes, readBodies) => {
        const outcome = await readAll(tar, sizes, readBodies);
        expect(outcome).toEqual({ names: expected });
      }),
      { numRuns: 200 },
    );
  });
});

/** Byte offset just past member i (header block + data rounded up to 512). */
function offsetAfter(members: readonly { content: string }[], i: number): number {
  let offset = 0;
  for (let k = 0; k <= i; k++) offset += 512 + Math.ceil(Buffer.byteLength(members[k]?.content ?? '') / 512) * 512;
  return offset;
}

function splitBlocks(tar: Buffer): Buffer[] {
  const blocks: Buffer[] = [];
  for (let i = 0; i < tar.length; i += 512) blocks.push(Buffer.from(tar.subarray(i, i + 512)));
  return blocks;
}

/** A copy of a ustar header with another size and type flag, its checksum made valid again. */
function rewrite(header: Buffer, size: bigint, type: string): Buffer {
  const out = Buffer.from(header);
  out.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  out.write(type, 156, 'ascii');
  out.write('        ', 148, 'ascii');
  let sum = 0;
  for (const byte of out) sum += byte;
  out.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return out;
}
