/**
 * A preview that helps a person recognise which secret it is without giving away enough to use it:
 * a short prefix (the vendor prefix, usually) and the last 3 characters, never more than a quarter of
 * the value. Short values are fully masked.
 */
export function redactedPreview(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
  if (clean.length < 12) return '*'.repeat(Math.min(clean.length, 8)) || '****';
  const prefixMatch = /^[A-Za-z]{2,8}[_-]/.exec(clean);
  const budget = Math.floor(clean.length / 4);
  const tail = 3;
  const head = Math.max(0, Math.min(prefixMatch ? prefixMatch[0].length : 2, budget - tail));
  return `${clean.slice(0, head)}****…${clean.slice(-tail)}`;
}
