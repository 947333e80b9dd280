import { describe, expect, it } from 'vitest';
import { KeywordPrefilter } from './keyword-prefilter.js';

describe('KeywordPrefilter.blocks', () => {
  const prefilter = new KeywordPrefilter([['alpha'], ['beta', 'gamma'], ['never']]);
  const data = Buffer.from(`${'.'.repeat(100)}ALPHA${'.'.repeat(300)}gam${'ma'}${'.'.repeat(90)}beta`);

  it('places each keyword in the block where it begins, even across a block edge', () => {
    const blocks = prefilter.blocks(data, 64);
    expect(blocks.rules()).toEqual([0, 1]);
    expect(blocks.occursIn(0, 64, 128)).toBe(true);
    expect(blocks.occursIn(0, 128, data.length)).toBe(false);
    // `gamma` begins at 405 (block [384, 416) of 32), `beta` at 500 (block [480, 512), clipped to 504).
    expect(prefilter.blocks(data, 32).regions(1, 0, data.length, 10)).toEqual([
      [374, 426],
      [470, data.length],
    ]);
  });

  it('merges regions that touch and clips them to the range asked for', () => {
    const blocks = prefilter.blocks(data, 64);
    const regions = blocks.regions(1, 0, data.length, 100);
    expect(regions).toEqual([[284, data.length]]);
    expect(blocks.regions(1, 400, 420, 100)).toEqual([[400, 420]]);
    expect(blocks.regions(2, 0, data.length, 100)).toEqual([]);
  });

  it('finds a keyword that straddles a block edge', () => {
    const edge = Buffer.from(`${'.'.repeat(62)}beta${'.'.repeat(10)}`);
    const blocks = prefilter.blocks(edge, 64);
    expect(blocks.rules()).toEqual([1]);
    expect(blocks.regions(1, 0, edge.length, 0)).toEqual([[0, 64]]);
  });
});
