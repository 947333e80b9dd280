import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Writable } from 'node:stream';

export interface CliRun {
  /** 0 clean, 1 leaks, 2 usage/config/input error (anything else: interrupted or crashed). */
  readonly exitCode: number;
  readonly stdout: string;
}

/** Runs `leakguard <args>` in `cwd`; its stderr (warnings, the one-line summary) goes to `log` as it comes. */
export type LeakguardCli = (args: readonly string[], cwd: string, log: Writable) => Promise<CliRun>;

/**
 * The CLI installed by the action's install step: `LEAKGUARD_BIN` is its `dist/bin.js`, run with the Node
 * that runs this script (the one the re2 addon was built for); else `leakguard` from PATH.
 */
export function installedCli(env: Readonly<Record<string, string | undefined>>): LeakguardCli {
  const bin = env['LEAKGUARD_BIN'];
  const [command, prefix] = bin === undefined || bin === '' ? ['leakguard', []] : [process.execPath, [bin]];
  return (args, cwd, log) =>
    new Promise((resolve) => {
      if (bin !== undefined && bin !== '' && !existsSync(bin)) {
        log.write(`leakguard: LEAKGUARD_BIN ${bin} does not exist (did the install step fail?)\n`);
        resolve({ exitCode: 2, stdout: '' });
        return;
      }
      const child = spawn(command, [...prefix, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => log.write(b));
      child.once('error', (error) => {
        log.write(`leakguard: cannot run ${command}: ${error.message}\n`);
        resolve({ exitCode: 2, stdout: '' });
      });
      child.once('close', (code) => resolve({ exitCode: code ?? 2, stdout: Buffer.concat(out).toString('utf8') }));
    });
}
