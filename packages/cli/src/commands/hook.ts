import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installPreCommitHook, uninstallPreCommitHook } from '@leakguard/scanner-core/sources/git';
import type { CliIo, ExitCode } from '../io.js';
import { defineCommand } from './command.js';

interface HookArgs {
  readonly action: 'install' | 'uninstall';
  readonly repo: string;
  readonly force: boolean;
}

export const hookCommand = defineCommand<HookArgs>({
  command: 'hook <action> [repo]',
  describe: 'install or remove the git pre-commit hook that runs `leakguard git --staged`',
  builder: (yargs) =>
    yargs
      .positional('action', { choices: ['install', 'uninstall'] as const, describe: 'install | uninstall' })
      .positional('repo', { type: 'string', default: '.', describe: 'repository' })
      .option('force', { type: 'boolean', default: false, describe: 'install: replace a pre-commit hook leakguard did not write (kept aside)' }) as never,
  handler: async (args, io) => (args.action === 'install' ? install(args, io) : uninstall(args, io)),
});

async function install(args: HookArgs, io: CliIo): Promise<ExitCode> {
  const result = await installPreCommitHook(repoPath(args, io), { force: args.force, ...entry() });
  const what = { installed: 'installed', updated: 'updated', replaced: 'installed (the previous hook was kept aside)' }[result.action];
  io.stdout.write(`leakguard: pre-commit hook ${what}: ${result.path}\n`);
  return 0;
}

async function uninstall(args: HookArgs, io: CliIo): Promise<ExitCode> {
  const result = await uninstallPreCommitHook(repoPath(args, io));
  const message =
    result.action === 'removed'
      ? `pre-commit hook removed: ${result.path}${result.restored === undefined ? '' : ' (the previous hook was restored)'}`
      : result.action === 'foreign'
        ? `${result.path} was not written by leakguard; left in place`
        : `no leakguard pre-commit hook at ${result.path}`;
  io.stdout.write(`leakguard: ${message}\n`);
  return 0;
}

function repoPath(args: HookArgs, io: CliIo): string {
  return isAbsolute(args.repo) ? args.repo : resolve(io.cwd, args.repo);
}

/** This CLI's own entry script, so the hook runs the leakguard that installed it (when built to JS). */
function entry(): { entry?: { node: string; script: string } } {
  const script = fileURLToPath(new URL('../bin.js', import.meta.url));
  return existsSync(script) ? { entry: { node: process.execPath, script } } : {};
}
