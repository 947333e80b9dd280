// The action's entry point: `node dist/main.js`, run by action.yml with the Node the CLI was installed for.
import { runAction } from './action.js';
import { installedCli } from './leakguard-cli.js';
import { annotation } from './workflow-commands.js';
try {
    process.exitCode = await runAction(process.env, process.stdout, installedCli(process.env));
}
catch (error) {
    // An internal error: one annotated line, not a stack trace in the job log.
    const message = error instanceof Error ? error.message : String(error);
    process.stdout.write(annotation('error', { title: 'leakguard' }, `internal error: ${message.split('\n')[0] ?? ''}`));
    process.exitCode = 2;
}
