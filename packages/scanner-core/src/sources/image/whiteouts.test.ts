import { describe, expect, it } from 'vitest';
import { layerPath, recordWhiteout, WhiteoutIndex } from './whiteouts.js';

describe('whiteouts', () => {
  it('recognises file whiteouts and opaque directories in any name form', () => {
    const into = { deleted: [] as string[], opaque: [] as string[] };
    expect(recordWhiteout('./app/.wh.secret.txt', into)).toBe(true);
    expect(recordWhiteout('/srv/data/.wh..wh..opq', into)).toBe(true);
    expect(recordWhiteout('.wh.top', into)).toBe(true);
    expect(recordWhiteout('app/normal.wh.txt', into)).toBe(false);
    expect(into).toEqual({ deleted: ['app/secret.txt', 'top'], opaque: ['srv/data'] });
  });

  it('normalises names lexically without leaving the image root', () => {
    expect(layerPath('../../etc/passwd')).toBe('etc/passwd');
    expect(layerPath('/abs/./x//y/')).toBe('abs/x/y');
  });

  it.each([
    ['the file itself', 'app/a.txt', 0, 2],
    ['a parent directory', 'app/sub/b.txt', 0, 2],
    ['an opaque parent', 'srv/data/k', 1, 3],
    ['nothing above', 'app/a.txt', 4, undefined],
    ['a file re-added between two deletions', 'app/a.txt', 3, 4],
  ])('finds the layer that removed a path via %s', (_why, path, layer, expected) => {
    const index = new WhiteoutIndex();
    index.add(2, { deleted: ['app/a.txt', 'app/sub'], opaque: [] });
    index.add(3, { deleted: [], opaque: ['srv/data'] });
    index.add(4, { deleted: ['app/a.txt'], opaque: [] });
    expect(index.removal(path, layer)?.layerIndex).toBe(expected);
  });
});
