// A stand-in CLI that fails the way a broken install does: exit code 1 and no report.
process.stderr.write('simulated failure\n');
process.exitCode = 1;
