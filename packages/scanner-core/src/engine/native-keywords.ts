import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/**
 * The keyword prefilter's fast path: the rule library's keywords and screens compiled into one Hyperscan
 * database (native/keyword-scanner.c). RE2.Set builds its automaton's states as the text needs them and runs
 * at 250–450 MB/s on these ~850 patterns; Hyperscan's literal matchers run them at 1–2 GB/s. Both the addon
 * and the database are built by scripts/build-native.mjs when Hyperscan (libhyperscan-dev) is installed;
 * without them, or with LEAKGUARD_NATIVE_KEYWORDS=0, every pattern stays on RE2.Set.
 *
 * The database is compiled in byte mode, where Hyperscan folds the case of ASCII letters only. RE2's `(?i)`
 * also folds `k` with the Kelvin sign and `s` with the long s (and non-ASCII letters with theirs), so those
 * characters are patterns of their own, "triggers": a buffer holding one is searched with RE2.Set instead.
 */
export class NativeKeywordLibrary {
  readonly #addon: KeywordScannerAddon;
  readonly #db: object;
  readonly #index: KeywordLibraryIndex;
  readonly #widths: Uint32Array;
  readonly #ids: ReadonlyMap<string, number>;

  private constructor(addon: KeywordScannerAddon, db: object, index: KeywordLibraryIndex) {
    this.#addon = addon;
    this.#db = db;
    this.#index = index;
    this.#widths = Uint32Array.from(index.widths);
    this.#ids = new Map(index.patterns.map((p, id) => [p, id]));
  }

  /** This thread's library (loaded once), or undefined when it is not built or not loadable here. */
  static load(): NativeKeywordLibrary | undefined {
    if (loaded === undefined) loaded = NativeKeywordLibrary.#read() ?? null;
    return loaded ?? undefined;
  }

  static #read(): NativeKeywordLibrary | undefined {
    if (process.env['LEAKGUARD_NATIVE_KEYWORDS'] === '0') return undefined;
    const addon = loadAddon();
    if (addon === undefined) return undefined;
    try {
      const index = JSON.parse(readFileSync(`${NATIVE_BUILD_DIR}${INDEX_FILE}`, 'utf8')) as KeywordLibraryIndex;
      const database = readFileSync(`${NATIVE_BUILD_DIR}${DATABASE_FILE}`);
      // Written one after the other: a database and an index of two builds must not be paired.
      if (index.database !== databaseDigest(database) || index.hyperscan !== addon.version() || index.patterns.length !== index.widths.length) return undefined;
      return new NativeKeywordLibrary(addon, addon.load(database), index);
    } catch {
      return undefined; // not built yet, or built for another CPU: RE2.Set does the work
    }
  }

  /**
   * For a prefilter's patterns (RE2 syntax, as KeywordPrefilter builds them): `ids` maps each database id to
   * the index of that pattern (NOT_SELECTED when the prefilter does not have it, TRIGGER for a trigger);
   * `leftover` lists the patterns the database does not hold, for RE2.Set.
   */
  select(patterns: readonly string[]): { readonly ids: Int32Array; readonly leftover: readonly number[] } {
    const ids = new Int32Array(this.#index.patterns.length).fill(NOT_SELECTED);
    for (let id = this.#index.triggerFrom; id < ids.length; id++) ids[id] = TRIGGER;
    const leftover: number[] = [];
    patterns.forEach((pattern, i) => {
      const id = this.#ids.get(pattern);
      if (id === undefined || id >= this.#index.triggerFrom || ids[id] !== NOT_SELECTED) leftover.push(i);
      else ids[id] = i;
    });
    return { ids, leftover };
  }

  /**
   * `[id, block, id, block, …]`: every block of `blockSize` bytes in which a match of database pattern `id`
   * may begin (each once, ascending per id unless Hyperscan reported out of order).
   */
  scan(data: Buffer, blockSize: number): Uint32Array {
    return this.#addon.scan(this.#db, data, this.#widths, blockSize);
  }
}

/** What scripts/build-native.mjs writes beside the database (keywords.json). */
export interface KeywordLibraryIndex {
  /** Hyperscan's version string: a database from another version is not loaded. */
  readonly hyperscan: string;
  /** The prefilter pattern (RE2 syntax) of each database id; ids from `triggerFrom` on are triggers. */
  readonly patterns: readonly string[];
  /** The longest match of each id in bytes (a screen's: KeywordPrefilter's screen overlap). */
  readonly widths: readonly number[];
  readonly triggerFrom: number;
  /** The database's digest (databaseDigest). */
  readonly database: string;
}

export function databaseDigest(database: Buffer): string {
  return createHash('sha256').update(database).digest('hex');
}

export interface KeywordScannerAddon {
  compile(expressions: readonly string[], flags: readonly number[]): Buffer;
  load(serialized: Buffer): object;
  scan(db: object, data: Buffer, widths: Uint32Array, blockSize: number): Uint32Array;
  version(): string;
}

export const NOT_SELECTED = -1;
export const TRIGGER = -2;

/** The addon and database, at the same depth from src/engine, dist/engine and the CLI bundle. */
export const NATIVE_BUILD_DIR = fileURLToPath(new URL('../../../../packages/scanner-core/native/build/', import.meta.url));
export const ADDON_FILE = 'keyword-scanner.node';
export const DATABASE_FILE = 'keywords.hsdb';
export const INDEX_FILE = 'keywords.json';

let loaded: NativeKeywordLibrary | null | undefined;

/** The addon, or undefined when it is not built (or cannot load: Hyperscan's library missing). */
export function loadAddon(): KeywordScannerAddon | undefined {
  try {
    return createRequire(import.meta.url)(`${NATIVE_BUILD_DIR}${ADDON_FILE}`) as KeywordScannerAddon;
  } catch {
    return undefined;
  }
}
