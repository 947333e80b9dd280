import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_DEFAULTS } from './testing/simulated-runner.js';
import { parseOutputs } from './workflow-commands.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// yaml is a dependency of scanner-core; the action itself needs no YAML parser.
const { parse } = createRequire(join(packageDir, '../scanner-core/package.json'))('yaml') as { parse: (text: string) => unknown };

interface ActionYml {
  readonly inputs: Record<string, { readonly default: string; readonly description: string }>;
  readonly outputs: Record<string, { readonly value: string }>;
  readonly runs: { readonly using: string; readonly steps: readonly { id?: string; uses?: string; run?: string; if?: string; env?: Record<string, string> }[] };
}

const action = parse(readFileSync(join(packageDir, 'action.yml'), 'utf8')) as ActionYml;

describe('action.yml', () => {
  it('declares the inputs and defaults the entry point is tested with', () => {
    expect(Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default]))).toEqual(ACTION_DEFAULTS);
  });

  it('is a composite action that hands every input to the entry point as the runner would (INPUT_FAIL-ON-LEAK)', () => {
    expect(action.runs.using).toBe('composite');
    const scan = action.runs.steps.find((s) => s.id === 'scan');
    expect(scan?.run).toBe('node "$GITHUB_ACTION_PATH/dist/main.js"');
    for (const name of Object.keys(action.inputs)) expect(scan?.env?.[`INPUT_${name.toUpperCase()}`]).toBe(`\${{ inputs.${name} }}`);
    expect(scan?.env?.['LEAKGUARD_BIN']).toBe('${{ steps.install.outputs.bin }}');
    expect(Object.fromEntries(Object.entries(action.outputs).map(([name, o]) => [name, o.value]))).toEqual({
      leaks: '${{ steps.scan.outputs.leaks }}',
      'sarif-file': '${{ steps.scan.outputs.sarif-file }}',
      'exit-code': '${{ steps.scan.outputs.exit-code }}',
    });
    expect(action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@') === true)?.if).toBe("steps.node.outputs.setup == 'true'");
    for (const step of action.runs.steps) {
      const script = /\$GITHUB_ACTION_PATH\/(\S+?)"?$/.exec(step.run ?? '')?.[1];
      if (script !== undefined) expect(existsSync(join(packageDir, script)), script).toBe(true);
    }
  });

  it.each([
    ['20.20.2', 'false'],
    ['22.3.0', 'false'],
    ['20.11.1', 'true'],
    ['24.1.0', 'true'],
    ['18.19.0', 'true'],
  ])('node-check.sh: Node %s → setup=%s', (version, setup) => {
    const bin = mkdtempSync(join(tmpdir(), 'leakguard-node-'));
    writeFileSync(join(bin, 'node'), `#!/bin/sh\necho ${version}\n`);
    chmodSync(join(bin, 'node'), 0o755);
    const output = join(bin, 'output');
    writeFileSync(output, '');
    execFileSync('bash', [join(packageDir, 'scripts/node-check.sh')], { env: { PATH: `${bin}:/usr/bin:/bin`, GITHUB_OUTPUT: output }, stdio: 'pipe' });
    expect(parseOutputs(readFileSync(output, 'utf8'))).toEqual({ setup });
  });
});
