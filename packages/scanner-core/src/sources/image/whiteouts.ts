import { posix } from 'node:path';

/** What one layer deletes from the layers below it (OCI image spec, "Whiteouts"). */
export interface LayerWhiteouts {
  /** Paths removed by a `.wh.<name>` file (a file or a whole directory). */
  readonly deleted: readonly string[];
  /** Directories whose lower-layer contents are hidden by `.wh..wh..opq`. */
  readonly opaque: readonly string[];
}

export const OPAQUE_MARKER = '.wh..wh..opq';
const WHITEOUT_PREFIX = '.wh.';

/**
 * A path as a layer names it, made comparable: no leading `./` or `/`, no trailing `/`, `.`/`..`
 * resolved lexically. Only for matching names; it is never used to touch the filesystem.
 */
export function layerPath(name: string): string {
  const normalized = posix.normalize(`/${name}`).replace(/^\/+/, '').replace(/\/+$/, '');
  return normalized;
}

/** If `name` is a whiteout, what it removes; records it into `into`. Returns true for whiteout entries. */
export function recordWhiteout(name: string, into: { deleted: string[]; opaque: string[] }): boolean {
  const path = layerPath(name);
  const base = posix.basename(path);
  if (!base.startsWith(WHITEOUT_PREFIX)) return false;
  const dir = posix.dirname(path);
  const parent = dir === '.' ? '' : dir;
  if (base === OPAQUE_MARKER) into.opaque.push(parent);
  else into.deleted.push(parent === '' ? base.slice(WHITEOUT_PREFIX.length) : `${parent}/${base.slice(WHITEOUT_PREFIX.length)}`);
  return true;
}

/** Which later layer removed a path, if any. */
export interface Removal {
  readonly layerIndex: number;
}

/**
 * The whiteouts of the layers above the one being read. A file in layer i is "removed in a later layer"
 * when some layer k > i deletes it or one of its parent directories, or makes a parent directory opaque.
 * The lowest such k is reported: that is the layer that made it disappear from the merged filesystem.
 */
export class WhiteoutIndex {
  readonly #deleted = new Map<string, number[]>();
  readonly #opaque = new Map<string, number[]>();

  /** Adds a layer's whiteouts. Layers may be added in any order. */
  add(layerIndex: number, whiteouts: LayerWhiteouts): void {
    for (const path of whiteouts.deleted) append(this.#deleted, layerPath(path), layerIndex);
    for (const dir of whiteouts.opaque) append(this.#opaque, layerPath(dir), layerIndex);
  }

  /** The lowest layer above `layerIndex` that removes `path`. */
  removal(path: string, layerIndex: number): Removal | undefined {
    const normalized = layerPath(path);
    let best: number | undefined;
    const consider = (layers: readonly number[] | undefined): void => {
      for (const k of layers ?? []) if (k > layerIndex && (best === undefined || k < best)) best = k;
    };
    consider(this.#deleted.get(normalized));
    for (let dir = posix.dirname(normalized); ; dir = posix.dirname(dir)) {
      const key = dir === '.' || dir === '/' ? '' : dir;
      if (key !== '') consider(this.#deleted.get(key));
      consider(this.#opaque.get(key));
      if (key === '') break;
    }
    return best === undefined ? undefined : { layerIndex: best };
  }

  get size(): number {
    return this.#deleted.size + this.#opaque.size;
  }
}

function append(map: Map<string, number[]>, key: string, layerIndex: number): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [layerIndex]);
  else if (!list.includes(layerIndex)) list.push(layerIndex);
}
