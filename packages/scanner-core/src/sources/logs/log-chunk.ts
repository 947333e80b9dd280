import type { Chunk } from '../../chunk.js';
import { isJsonLine } from './json-lines.js';
import { parseLogTimestamp } from './log-timestamp.js';

/** What is known about the line that data[0] of a chunk sits on, whose start may lie in an earlier window. */
export interface LineHead {
  readonly timestamp?: string;
  readonly json: boolean;
}

/** One log item (file, archive, stdin) as the chunks of it see it. */
export interface LogItem {
  /** Path as reported. */
  readonly display: string;
  /** Absolute path of the file, or undefined for stdin. */
  readonly file?: string;
  /** Path below the input it was found under, for `--redact-to` copies. */
  readonly relative: string;
  readonly compression?: 'gzip' | 'zstd';
}

/** A window of a decoded log stream, with what the log scanner needs besides the bytes. */
export interface LogChunk extends Chunk {
  readonly item: LogItem;
  readonly head: LineHead;
  /** Matches wholly before this offset were reported by an earlier incremental run. */
  readonly reportedTo: number;
  /** The item's last chunk (an empty item yields one empty final chunk). */
  readonly final: boolean;
}

export function lineHeadAt(data: Buffer, lineStart: number): LineHead {
  const timestamp = parseLogTimestamp(data, lineStart);
  return { json: isJsonLine(data, lineStart), ...(timestamp === undefined ? {} : { timestamp }) };
}

/**
 * The head of the line holding `next.offset`, worked out from the previous window (which contains that
 * position): the last line start before it, or the previous head when the line began even earlier.
 */
export function nextLineHead(previous: Chunk, previousHead: LineHead, nextOffset: number): LineHead {
  const at = nextOffset - previous.offset;
  if (at <= 0) return previousHead;
  const nl = previous.data.lastIndexOf(10, at - 1);
  return nl === -1 ? previousHead : lineHeadAt(previous.data, nl + 1);
}
