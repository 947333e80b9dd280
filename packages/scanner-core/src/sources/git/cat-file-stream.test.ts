import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteRing } from '../byte-ring.js';
import { CatFileParser, type CatFileEvent } from './cat-file-stream.js';

type Record = { kind: 'object'; oid: string; type: string; data: Buffer } | { kind: 'missing'; name: string };

const hex = fc.stringMatching(/^[0-9a-f]{40}$/);
const record: fc.Arbitrary<Record> = fc.oneof(
  fc.record({
    kind: fc.constant('object' as const),
    oid: hex,
    type: fc.constantFrom('blob', 'tree', 'commit', 'tag'),
    data: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  }),
  fc.record({ kind: fc.constant('missing' as const), name: hex }),
);

function serialize(records: readonly Record[]): Buffer {
  return Buffer.concat(
    records.map((r) =>
      r.kind === 'missing'
        ? Buffer.from(`${r.name} missing\n`)
        : Buffer.concat([Buffer.from(`${r.oid} ${r.type} ${r.data.length}\n`), r.data, Buffer.from('\n')]),
    ),
  );
}

/** Cuts `bytes` at the given points (any order, any count) into pieces. */
function cut(bytes: Buffer, points: readonly number[]): Buffer[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of at) {
    pieces.push(bytes.subarray(from, p));
    from = p;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

/** Parses pieces and folds streamed bodies back together, checking start/data/end nest properly. */
function parse(pieces: readonly Buffer[], maxWholeObject: number): { records: Record[]; problems: string[] } {
  const parser = new CatFileParser({ maxWholeObject });
  const events: CatFileEvent[] = [];
  for (const piece of pieces) events.push(...parser.push(piece).map(copyData));
  events.push(...parser.end());
  const records: Record[] = [];
  const problems: string[] = [];
  let open: { oid: string; type: string; parts: Buffer[] } | undefined;
  for (const e of events) {
    if (e.kind === 'object-start') {
      expect(open).toBeUndefined();
      open = { oid: e.oid, type: e.type, parts: [] };
    } else if (e.kind === 'object-data') {
      expect(open).toBeDefined();
      open?.parts.push(e.data);
    } else if (e.kind === 'object-end') {
      expect(open).toBeDefined();
      if (open) records.push({ kind: 'object', oid: open.oid, type: open.type, data: Buffer.concat(open.parts) });
      open = undefined;
    } else if (e.kind === 'object') {
      expect(open).toBeUndefined();
      expect(e.data.length).toBe(e.size);
      records.push({ kind: 'object', oid: e.oid, type: e.type, data: e.data });
    } else if (e.kind === 'missing') {
      records.push({ kind: 'missing', name: e.name });
    } else {
      problems.push(e.message);
    }
  }
  expect(open).toBeUndefined();
  return { records, problems };
}

/** Views into pieces stay valid (pieces are not reused), but copy anyway to prove no aliasing bug. */
function copyData(e: CatFileEvent): CatFileEvent {
  return e.kind === 'object' || e.kind === 'object-data' ? { ...e, data: Buffer.from(e.data) } : e;
}

describe('CatFileParser', () => {
  it('parses any sequence of records split at any points, whole or streamed', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), fc.constantFrom(0, 16, 64, 1 << 20), (records, points, maxWhole) => {
        const { records: parsed, problems } = parse(cut(serialize(records), points), maxWhole);
        expect(problems).toEqual([]);
        expect(parsed).toEqual(records);
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on arbitrary bytes and always closes what it opens', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 10 }), fc.constantFrom(0, 8, 1 << 20), (bytes, points, maxWhole) => {
        parse(cut(Buffer.from(bytes), points), maxWhole);
      }),
      { numRuns: 400 },
    );
  });

  it('reports garbage and resumes at the next record', () => {
    const good = serialize([{ kind: 'object', oid: 'a'.repeat(40), type: 'blob', data: Buffer.from('hello') }]);
    const input = Buffer.concat([Buffer.from('this is not a header\n'), Buffer.from('x'.repeat(5000)), Buffer.from('\n'), good]);
    const { records, problems } = parse([input], 1 << 20);
    expect(problems).toHaveLength(2);
    expect(records).toEqual([{ kind: 'object', oid: 'a'.repeat(40), type: 'blob', data: Buffer.from('hello') }]);
  });

  it('reports a stream that ends inside an object', () => {
    const full = serialize([{ kind: 'object', oid: 'b'.repeat(40), type: 'blob', data: Buffer.from('0123456789') }]);
    expect(parse([full.subarray(0, 56)], 1 << 20).problems).toEqual(['output ended 3 bytes before the end of an object']);
    const streamed = parse([full.subarray(0, 56)], 4);
    expect(streamed.problems).toHaveLength(1);
    expect(streamed.records).toHaveLength(1); // the partial streamed body is closed, not left open
  });

  it('does not copy a body that lies inside one piece', () => {
    const piece = serialize([{ kind: 'object', oid: 'c'.repeat(40), type: 'blob', data: Buffer.from('abc') }]);
    const [event] = new CatFileParser().push(piece);
    expect(event?.kind).toBe('object');
    if (event?.kind === 'object') expect(event.data.buffer).toBe(piece.buffer);
  });

  it('with memory, puts whole bodies in buffers it lends, split at any points, and gives back one cut short', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 30 }), fc.constantFrom(512, 1 << 20), (records, points, size) => {
        const ring = new ByteRing(size);
        const parser = new CatFileParser({ memory: ring });
        const objects: Buffer[] = [];
        for (const piece of cut(serialize(records), points)) {
          for (const e of parser.push(piece)) {
            if (e.kind !== 'object') continue;
            // With room for everything, every body is lent; in a small ring some find no room and get their own.
            if (size > 6000 && e.size > 0) expect(ring.holds(e.data)).toBe(true);
            objects.push(Buffer.from(e.data));
            if (ring.holds(e.data)) ring.give(e.data);
          }
        }
        expect(parser.end()).toEqual([]);
        expect(objects).toEqual(records.flatMap((r) => (r.kind === 'object' ? [r.data] : [])));
        expect(ring.lentBytes).toBe(0);
      }),
      { numRuns: 300 },
    );
    const ring = new ByteRing(4096);
    const parser = new CatFileParser({ memory: ring });
    const full = serialize([{ kind: 'object', oid: 'd'.repeat(40), type: 'blob', data: Buffer.from('0123456789') }]);
    expect(parser.push(full.subarray(0, 50))).toEqual([]);
    expect(ring.lentBytes).toBe(10);
    expect(parser.end()).toHaveLength(1);
    expect(ring.lentBytes).toBe(0);
  });
});
