/** Removes ANSI escapes and control characters so a crafted path or name cannot rewrite the terminal. */
export function printable(text: string): string {
  return text
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, ' ');
}
