/**
 * What is wrong with text that JSON.parse rejected, without quoting it: V8's messages include a slice of
 * the input (`Unexpected token 'g', "{"a": ghp_abcdef"... is not valid JSON`), and the input may hold a
 * secret. Only the line (and column) of the problem are given.
 */
export function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : '';
  if (/Unexpected end of JSON input/.test(message)) return 'invalid JSON: it ends early (truncated?)';
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return 'invalid JSON';
  const before = text.slice(0, Number(position));
  const lineStart = before.lastIndexOf('\n') + 1;
  return `invalid JSON at line ${before.split('\n').length}, column ${Number(position) - lineStart + 1}`;
}
