import { isRecord } from './image-description.js';

/** One Dockerfile instruction with the line it starts on (continuation lines folded in). */
export interface DockerfileInstruction {
  readonly keyword: string;
  readonly line: number;
  readonly args: string;
}

/**
 * Splits a Dockerfile into instructions: comments and blank lines dropped, `\` continuations joined
 * (comment lines inside a continuation are skipped, as docker does). A `# escape=` directive is honoured.
 */
export function parseDockerfile(text: string): DockerfileInstruction[] {
  const lines = text.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*(\S)/i.exec(lines[0] ?? '')?.[1] ?? '\\';
  const out: DockerfileInstruction[] = [];
  let current: { line: number; text: string } | undefined;
  lines.forEach((raw, i) => {
    const trimmed = raw.trim();
    if (current === undefined && (trimmed === '' || trimmed.startsWith('#'))) return;
    if (current !== undefined && trimmed.startsWith('#')) return;
    const continued = trimmed.endsWith(escape);
    const piece = continued ? trimmed.slice(0, -1) : trimmed;
    current = current === undefined ? { line: i + 1, text: piece } : { line: current.line, text: `${current.text} ${piece}` };
    if (!continued) {
      const match = /^(\S+)\s*(.*)$/.exec(current.text);
      if (match) out.push({ keyword: (match[1] ?? '').toUpperCase(), line: current.line, args: match[2] ?? '' });
      current = undefined;
    }
  });
  return out;
}

/** What the Dockerfile says about an image: the line of each history entry, and of each ENV key. */
export interface DockerfileMap {
  /** history index → Dockerfile line. */
  readonly history: ReadonlyMap<number, number>;
  /** ENV key → line of the last ENV instruction that set it (final stage). */
  readonly env: ReadonlyMap<string, number>;
}

/**
 * Aligns the final stage's instructions with the last entries of the image history: both builders
 * (classic and BuildKit) write one history entry per instruction after FROM, in order. Every pair must
 * agree on the kind of instruction, else nothing is mapped (a Dockerfile that did not build this image).
 */
export function mapDockerfile(instructions: readonly DockerfileInstruction[], history: unknown): DockerfileMap | undefined {
  const entries = Array.isArray(history) ? (history as unknown[]) : [];
  let from = -1;
  instructions.forEach((ins, i) => {
    if (ins.keyword === 'FROM') from = i;
  });
  const stage = instructions.slice(from + 1);
  if (stage.length === 0 || stage.length > entries.length) return undefined;
  const offset = entries.length - stage.length;
  const map = new Map<number, number>();
  for (const [i, ins] of stage.entries()) {
    const entry = entries[offset + i];
    const createdBy = isRecord(entry) && typeof entry['created_by'] === 'string' ? entry['created_by'] : '';
    if (!sameKind(ins.keyword, createdBy)) return undefined;
    map.set(offset + i, ins.line);
  }
  const env = new Map<string, number>();
  for (const ins of stage) {
    if (ins.keyword !== 'ENV') continue;
    for (const key of envKeys(ins.args)) env.set(key, ins.line);
  }
  return { history: map, env };
}

function sameKind(keyword: string, createdBy: string): boolean {
  const nop = /#\(nop\)\s+([A-Z]+)/.exec(createdBy)?.[1];
  if (nop !== undefined) return nop === keyword;
  const buildkit = /^([A-Z]+) /.exec(createdBy)?.[1];
  if (buildkit !== undefined && buildkit !== 'RUN') return buildkit === keyword;
  // Classic RUN lines are the bare command (`/bin/sh -c ...`, with `|N ARG=...` when build args are used).
  return keyword === 'RUN';
}

/** `ENV A=1 B=2` or the legacy `ENV A 1`. */
function envKeys(args: string): string[] {
  const assignments = [...args.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1] ?? '');
  if (assignments.length > 0) return assignments;
  const legacy = /^([A-Za-z_][A-Za-z0-9_]*)\s/.exec(args)?.[1];
  return legacy === undefined ? [] : [legacy];
}
