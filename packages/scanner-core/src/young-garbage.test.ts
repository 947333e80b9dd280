import { describe, expect, it } from 'vitest';
import { YoungGarbage } from './young-garbage.js';

describe('YoungGarbage', () => {
  it('asks for one minor collection per `every` bytes read', () => {
    const calls: unknown[] = [];
    const young = new YoungGarbage(100, (options) => calls.push(options));
    for (let i = 0; i < 25; i++) young.read(30); // 750 bytes
    expect(calls).toEqual(Array.from({ length: 6 }, () => ({ type: 'minor' })));
  });
});
