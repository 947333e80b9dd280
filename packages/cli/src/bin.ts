#!/usr/bin/env node
// `leakguard --version` answers before anything heavy (yargs, RE2, the rule library) is loaded.
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const { VERSION } = await import('./version.js');
  process.stdout.write(`${VERSION}\n`);
} else {
  const { run } = await import('./run.js');
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      // First signal: stop reading and close the report (partial). If that cannot finish (a child process
      // gone wrong) or the signal comes again, leave anyway with the conventional code.
      const code = signal === 'SIGINT' ? 130 : 143;
      if (controller.signal.aborted) process.exit(code);
      controller.abort(signal);
      setTimeout(() => process.exit(code), 10_000).unref();
    });
  }
  process.exitCode = await run(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    signal: controller.signal,
  });
}
