import type { Chunk } from '../chunk.js';
import type { Finding } from '../finding.js';
import type { Origin } from '../origin.js';

/** Something that went wrong with one input item while the scan went on. Never holds a secret. */
export interface ScanWarning {
  /** The input item: a path, blob id, layer digest. */
  readonly input: string;
  readonly message: string;
}

/** What a source reports besides chunks: skipped items, warnings and how much it read. */
export interface SourceContext {
  readonly signal: AbortSignal;
  warn(input: string, message: string): void;
  /** An item deliberately not scanned (binary, ignored by a limit); counted by reason in the summary. */
  skip(input: string, reason: string): void;
  /** One item (file, blob, layer entry) fully handed to the engine. */
  scanned(bytes: number): void;
  /**
   * Whether this run's `--shard I/N` includes the item with this key (dirs and logs: the path; git
   * history: the blob id; images: the layer digest). Sources skip items outside the shard before reading.
   */
  inShard(key: string): boolean;
  /**
   * Optional: how far through its input the source is, in a unit whose total it knows (bytes of the files it
   * reads, blobs a history holds). The progress line turns it into an ETA; a source that cannot know its total
   * (a directory being walked) never calls it.
   */
  through?(done: number, total: number): void;
}

/** A producer of chunks. Knows where bytes come from, nothing about rules. */
export interface Source {
  readonly id: string;
  chunks(context: SourceContext): AsyncIterable<Chunk>;
  /**
   * Optional: every place a chunk's content lives. A source that scans shared content once (a git blob
   * committed at many commits/paths) returns one origin per place; `scan()` then reports each finding in
   * that chunk once per place. Called only for chunks with findings, before the next chunk is pulled.
   */
  locate?(origin: Origin): readonly Origin[] | Promise<readonly Origin[]>;
  /**
   * Optional: called in chunk order, on the main thread, once each chunk of this source has been matched,
   * with its findings (before filters); returns the findings to report for it. A source that caches
   * results records them here, and reports findings it already knows for a chunk whose bytes it did not
   * read again (an image layer scanned in an earlier run).
   */
  matched?(chunk: Chunk, findings: readonly Finding[]): readonly Finding[];
  /**
   * Optional: `scan()` is done with this chunk (its findings were handled, or it was skipped); called in
   * chunk order. A source that lends chunks memory it reuses (see ByteRing) takes it back here; the chunk's
   * bytes must not be read afterwards.
   */
  release?(chunk: Chunk): void;
  /**
   * Optional: starts slow outside work (a git process) now, before the engine is built, so the two overlap; a
   * pre-commit scan is mostly start-up. `chunks()` works without it. What it starts must not keep the process
   * alive by itself: a scan that fails before reading the source still exits.
   */
  prepare?(): void;
}
