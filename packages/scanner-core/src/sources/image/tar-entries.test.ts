import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import tar from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { tarOf, type TarMember } from '../../testing/image-fixtures.js';
import { readBody, tarEntries } from './tar-entries.js';

interface Member {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly linkname?: string;
  readonly body: string;
}

/** What tarEntries reads, body bytes included (hex, to compare exactly). */
async function ours(data: Buffer, pieceSize: number): Promise<Member[]> {
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let at = 0; at < data.length; at += pieceSize) yield data.subarray(at, at + pieceSize);
  }
  const out: Member[] = [];
  for await (const e of tarEntries(pieces())) {
    out.push({ name: e.name, type: e.type, size: e.size, ...(e.linkname === undefined ? {} : { linkname: e.linkname }), body: (await readBody(e.body)).toString('hex') });
  }
  return out;
}

/** The same tar through tar-stream's extract, the reader tarEntries replaced (the reference). */
async function reference(data: Buffer): Promise<Member[]> {
  const extract = tar.extract();
  const out: Member[] = [];
  const done = (async () => {
    for await (const entry of extract as unknown as AsyncIterable<AsyncIterable<Buffer> & { header: tar.Header }>) {
      const h = entry.header;
      const parts: Buffer[] = [];
      if (h.type !== 'directory') for await (const part of entry) parts.push(part);
      const type = h.type === 'directory' || h.type === 'symlink' || h.type === 'link' ? h.type : h.type === 'file' || h.type === 'contiguous-file' ? 'file' : 'other';
      out.push({ name: h.name, type, size: h.type === 'directory' ? 0 : (h.size ?? 0), ...(h.linkname ? { linkname: h.linkname } : {}), body: Buffer.concat(parts).toString('hex') });
    }
  })();
  extract.end(data);
  await done;
  return out;
}

async function* oneShot(data: Buffer): AsyncGenerator<Buffer> {
  yield data;
}

const scratch = mkdtempSync(join(tmpdir(), 'leakguard-tar-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('tarEntries against tar-stream', () => {
  const name = fc.stringMatching(/^[a-zA-Z0-9._é -]{1,12}$/).filter((s) => s.trim() === s && s !== '.' && s !== '..');
  const member: fc.Arbitrary<TarMember> = fc.oneof(
    fc.record({ name: fc.array(name, { minLength: 1, maxLength: 14 }).map((p) => p.join('/')), content: fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)) }),
    fc.record({ name: fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => p.join('/')), type: fc.constant('directory' as const) }),
    fc.record({ name: name, type: fc.constantFrom('symlink' as const, 'link' as const), linkname: fc.array(name, { minLength: 1, maxLength: 14 }).map((p) => p.join('/')) }),
  );

  it('reads what tar-stream packed (long names as pax records) exactly as tar-stream extracts it, however the input is cut', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(member, { maxLength: 8 }), fc.integer({ min: 1, max: 5000 }), async (members, pieceSize) => {
        const data = await tarOf(members);
        expect(await ours(data, pieceSize)).toEqual(await reference(data));
      }),
      { numRuns: 150 },
    );
  });

  for (const format of ['gnu', 'pax', 'ustar', 'oldgnu']) {
    it(`reads GNU tar's ${format} format like tar-stream: long names and links, directories, symlinks, hard links, empty and large files`, async () => {
      const root = join(scratch, format);
      const deep = join(root, 'a'.repeat(60), 'b'.repeat(60));
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, `${'c'.repeat(90)}.txt`), 'long path\n'.repeat(300));
      writeFileSync(join(root, 'empty'), '');
      writeFileSync(join(root, 'big.bin'), Buffer.alloc(200_003, 7));
      writeFileSync(join(root, 'naïve ünïcode.txt'), 'é\n');
      symlinkSync(join('a'.repeat(60), 'b'.repeat(60), `${'c'.repeat(90)}.txt`), join(root, 'link-to-long'));
      linkSync(join(root, 'empty'), join(root, 'hard'));
      // ustar cannot hold a name this long: GNU tar leaves that member out and says so.
      const data = spawnSync('tar', ['-C', root, `--format=${format}`, '--sort=name', '-cf', '-', '.'], { maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] }).stdout;
      const expected = await reference(data);
      expect(expected.length).toBeGreaterThan(5);
      for (const pieceSize of [511, 4096, data.length]) expect(await ours(data, pieceSize)).toEqual(expected);
    });
  }

  it('passes over zero blocks and reads a tar appended after another, as tar-stream does', async () => {
    const a = await tarOf([{ name: 'one', content: 'first' }]);
    const b = await tarOf([{ name: 'two', content: 'second' }]);
    const data = Buffer.concat([a, b]);
    const read = await ours(data, 700);
    expect(read.map((m) => m.name)).toEqual(['one', 'two']);
    expect(read).toEqual(await reference(data));
  });

  it('a member cut short, or a partial block at the end, is "Unexpected end of data" after the members before it', async () => {
    const data = await tarOf([{ name: 'whole', content: 'x'.repeat(600) }, { name: 'cut', content: 'y'.repeat(2000) }]);
    for (const end of [1024 + 512 + 512 + 100, data.length - 1024 - 300]) {
      const names: string[] = [];
      const reading = (async () => {
        for await (const e of tarEntries(oneShot(data.subarray(0, end)))) {
          names.push(e.name);
          await readBody(e.body);
        }
      })();
      await expect(reading).rejects.toThrow(/Unexpected end of data/);
      expect(names[0]).toBe('whole');
    }
  });

  it('a member the consumer leaves unread is skipped, and the input is closed when the consumer stops', async () => {
    const data = await tarOf([{ name: 'skipped', content: 'z'.repeat(5000) }, { name: 'read', content: 'wanted' }, { name: 'never', content: 'n' }]);
    let closed = false;
    const input: AsyncIterable<Buffer> = {
      [Symbol.asyncIterator]: () => {
        let at = 0;
        return {
          next: () => Promise.resolve(at < data.length ? { done: false, value: data.subarray(at, (at += 1000)) } : { done: true, value: undefined }),
          return: () => {
            closed = true;
            return Promise.resolve({ done: true, value: undefined });
          },
        };
      },
    };
    for await (const e of tarEntries(input)) {
      if (e.name === 'read') {
        expect((await readBody(e.body)).toString()).toBe('wanted');
        break;
      }
    }
    expect(closed).toBe(true);
  });
});
