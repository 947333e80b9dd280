import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const require = createRequire(import.meta.url);
const multitoolDir = dirname(require.resolve('@microsoft/sarif-multitool/package.json', { paths: [process.cwd()] }));
const linuxDir = dirname(
  createRequire(join(multitoolDir, 'package.json')).resolve('@microsoft/sarif-multitool-linux/package.json'),
);

/** Errors from validating a SARIF log against the official 2.1.0 JSON schema (empty when valid). */
export function schemaErrors(log: unknown): string[] {
  const schema = JSON.parse(readFileSync(join(linuxDir, 'sarif-2.1.0.json'), 'utf8')) as object;
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

/**
 * Results of Microsoft's SARIF multitool `validate` with the SARIF and GitHub ingestion rule kinds. The
 * tool exits 0 whatever it finds, so its own SARIF output is read back.
 */
export function multitoolResults(log: unknown): { level: string; ruleId: string; text: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'sarif-validate-'));
  const input = join(dir, 'in.sarif');
  const output = join(dir, 'out.sarif');
  writeFileSync(input, JSON.stringify(log));
  execFileSync(join(linuxDir, 'Sarif.Multitool'), ['validate', input, '-o', output, '--log', 'ForceOverwrite', '--rule-kind', 'Gh;Sarif', '--level', 'Error;Warning;Note'], {
    stdio: 'pipe',
    env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
  });
  const out = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: { results?: { level?: string; ruleId: string; message: { text?: string; arguments?: string[] } }[] }[];
  };
  return (out.runs[0]?.results ?? []).map((r) => ({
    level: r.level ?? 'warning',
    ruleId: r.ruleId,
    text: r.message.text ?? (r.message.arguments ?? []).join(' '),
  }));
}
