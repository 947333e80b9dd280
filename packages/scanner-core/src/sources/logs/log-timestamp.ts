/** How far into a line a timestamp may sit (common log format puts host, ident and user first). */
const HEAD_BYTES = 160;

// RFC 5424 syslog puts `<PRI>VERSION ` before an ISO timestamp; some loggers wrap the stamp in brackets.
const ISO = /^(?:<\d{1,3}>\d?\s?)?\[?(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)/;
// BSD syslog (RFC 3164): `Oct  3 13:55:36`, optionally after `<PRI>`.
const SYSLOG = /^(?:<\d{1,3}>)?((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d{2}:\d{2}:\d{2})/;
// nginx/apache common and combined log format: `host ident user [10/Oct/2000:13:55:36 -0700]`, or the stamp first.
const COMMON = /^(?:\S+ \S+ \S+ )?\[(\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\]/;

/**
 * The timestamp a log line starts with, as written in the line, or undefined. Recognises ISO-8601 (also
 * with a space, fractions and zones, and RFC 5424 syslog), BSD syslog and the nginx/apache common log format.
 */
export function parseLogTimestamp(data: Buffer, lineStart: number): string | undefined {
  let end = data.indexOf(10, lineStart);
  if (end === -1 || end - lineStart > HEAD_BYTES) end = Math.min(data.length, lineStart + HEAD_BYTES);
  // latin1 maps bytes 1:1, so invalid UTF-8 in the line cannot throw or shift anything.
  const head = data.toString('latin1', lineStart, end);
  return ISO.exec(head)?.[1] ?? SYSLOG.exec(head)?.[1] ?? COMMON.exec(head)?.[1];
}
