import type { Command } from './command.js';

/**
 * Every CLI command, in help order. Only the command being run is imported (`load`); the others are shown
 * in help from `command` and `describe` here, so a pre-commit `git --staged` does not load the image,
 * log or report code at start-up.
 */
export interface CommandEntry {
  readonly name: string;
  readonly command: string;
  readonly describe: string;
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'dir', command: 'dir [paths..]', describe: 'scan files and directories (honours .gitignore and .leakguardignore)', load: async () => (await import('./dir.js')).dirCommand },
  { name: 'git', command: 'git [repo]', describe: 'scan git history (every blob once), a PR range (--range BASE..HEAD) or the index (--staged)', load: async () => (await import('./git.js')).gitCommand },
  { name: 'hook', command: 'hook <action> [repo]', describe: 'install or remove the git pre-commit hook that runs `leakguard git --staged`', load: async () => (await import('./hook.js')).hookCommand },
  { name: 'image', command: 'image <images..>', describe: 'scan container images: docker/podman save tarballs, OCI layouts, the Docker daemon, registries', load: async () => (await import('./image.js')).imageCommand },
  { name: 'stdin', command: 'stdin', describe: 'scan standard input', load: async () => (await import('./stdin.js')).stdinCommand },
  { name: 'logs', command: 'logs <inputs..>', describe: 'audit log files, directories, globs, .gz/.zst archives or - (stdin); one finding per distinct secret', load: async () => (await import('./logs.js')).logsCommand },
  { name: 'redact', command: 'redact', describe: 'copy stdin to stdout with every secret replaced by [REDACTED:<rule-id>], line by line (or rewrite a file with --in-place)', load: async () => (await import('./redact.js')).redactCommand },
  { name: 'rules', command: 'rules <action> [file]', describe: 'list the rules in effect, or check a rule file (schema, RE2, examples)', load: async () => (await import('./rules.js')).rulesCommand },
  { name: 'merge', command: 'merge <reports..>', describe: 'join shard reports (all JSON or all SARIF) into one, deduplicating findings', load: async () => (await import('./merge.js')).mergeCommand },
  { name: 'baseline', command: 'baseline <action> [scan..]', describe: 'create a baseline of current findings, or prune entries that match nothing (then scan with --baseline FILE)', load: async () => (await import('./baseline.js')).baselineCommand },
  { name: 'config', command: 'config <action> [path]', describe: 'print the effective config (YAML) for a target, or check it (exit 2 with every problem)', load: async () => (await import('./config.js')).configCommand },
];
