import { redactedPreview } from '../../redacted-preview.js';

/** Longest instruction text carried on an origin; RUN lines can be kilobytes of shell. */
const MAX_INSTRUCTION = 300;

/**
 * A Dockerfile instruction (history `created_by`) made safe to print on every finding of its layer.
 * `RUN echo $TOKEN > /x` with a build arg shows up as `|1 TOKEN=<value> /bin/sh -c ...`, so the text
 * can hold the very secret being reported. Without rules at hand, every long token-like run (base64,
 * hex, vendor-prefixed tokens: 20+ chars mixing letters and digits) and every build-arg value is masked;
 * `maskKnown` (the engine's findings, when available) masks what the rules recognise on top of that.
 */
export function maskInstruction(text: string, maskKnown?: (text: string) => string): string {
  let masked = maskKnown === undefined ? text : maskKnown(text);
  masked = masked.replace(/^\|(\d+)((?: [A-Za-z_][A-Za-z0-9_]*=\S*)+)/, (_all, count: string, args: string) => {
    const hidden = args.replace(/=(\S*)/g, (_m, value: string) => `=${value === '' ? '' : redactedPreview(value)}`);
    return `|${count}${hidden}`;
  });
  masked = masked.replace(/[A-Za-z0-9+_.=-]{20,}/g, (run) => (/[0-9]/.test(run) && /[A-Za-z]/.test(run) ? redactedPreview(run) : run));
  return masked.length > MAX_INSTRUCTION ? `${masked.slice(0, MAX_INSTRUCTION - 1)}…` : masked;
}
