import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { wholeChunk } from '../chunk.js';
import { compileRules } from '../engine/compiled-rule.js';
import { Engine } from '../engine/engine.js';
import { severityOf } from '../finding.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
import type { RuleDefinition } from './rule.js';
import { defaultRulesDir, loadRuleFile } from './rule-loader.js';
import { join } from 'node:path';

function rule(id: string, pattern: string, keywords: string[], checksum: string): RuleDefinition {
  return {
    id, provider: id.split('.')[0] ?? id, description: id, pattern, keywords, checksum, severity: 'high',
    tags: [], references: [], generic: false, examples: [], negativeExamples: [], source: 'test',
  };
}

const NOW = Date.parse('2026-06-01T00:00:00Z');
const engine = new Engine(
  compileRules([
    rule('test.jwt', '\\b(eyJ[A-Za-z0-9_-]+\\.eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{16,})', ['eyj'], 'jwt'),
    rule('test.private-key', '-----BEGIN [A-Z ]*PRIVATE KEY-----([A-Za-z0-9+/=\\s]{40,})-----END', ['private key'], 'pem'),
    ...loadRuleFile(join(defaultRulesDir(), 'github.yaml')),
  ]),
  { now: () => NOW },
);

function scan(text: string) {
  return engine.scan(wholeChunk(Buffer.from(text), { kind: 'file', path: 'x' }));
}

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
function jwt(payload: object, alg = 'HS256'): string {
  return `${part({ alg, typ: 'JWT' })}.${part(payload)}.${randomBytes(32).toString('base64url')}`;
}

describe('offline validity', () => {
  it('reports a JWT\'s alg and exp, and ranks an expired one lower', () => {
    const live = scan(`Authorization: Bearer ${jwt({ sub: 'user-1', exp: NOW / 1000 + 3600 })}`)[0];
    expect(live?.details).toEqual({ alg: 'HS256', exp: '2026-06-01T01:00:00.000Z', expired: false });
    expect(live && severityOf(live)).toBe('high');
    const old = scan(`token=${jwt({ sub: 'user-1', exp: NOW / 1000 - 86400 }, 'RS256')}`)[0];
    expect(old?.details).toEqual({ alg: 'RS256', exp: '2026-05-31T00:00:00.000Z', expired: true });
    expect(old && severityOf(old)).toBe('low');
    expect(old?.rule.severity).toBe('high');
    // Claims that may be personal data are never copied onto the finding.
    expect(JSON.stringify(old)).not.toContain('user-1');
    const noExp = scan(`t=${jwt({ sub: 'x' }, 'none')}`)[0];
    expect(noExp?.details).toEqual({ alg: 'none' });
  });

  it('drops a JWT-shaped string whose parts are not JSON', () => {
    expect(scan(`t=eyJub3Rqc29u.eyJhbHNvbm90.${randomBytes(24).toString('base64url')}`)).toEqual([]);
  });

  it.each([
    ['rsa', 'pkcs1', 'rsa'],
    ['rsa', 'pkcs8', 'rsa'],
    ['ec', 'sec1', 'ec'],
    ['ec', 'pkcs8', 'ec'],
    ['ed25519', 'pkcs8', 'ed25519'],
  ] as const)('reports the key type of a %s private key in %s PEM', (kind, type, expected) => {
    const options = kind === 'ec' ? { namedCurve: 'P-256' } : kind === 'rsa' ? { modulusLength: 1024 } : {};
    const { privateKey } = generateKeyPairSync(kind as 'rsa', options as { modulusLength: number });
    const pem = privateKey.export({ type: type as 'pkcs1', format: 'pem' }).toString();
    const [f] = scan(`key: |\n${pem}`);
    expect(f?.rule.id).toBe('test.private-key');
    expect(f?.details).toEqual({ keyType: expected });
  });

  it('reports an encrypted PKCS#8 key as encrypted', () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expect(scan(pem)[0]?.details).toEqual({ keyType: 'pkcs8-encrypted', encrypted: true });
  });

  it.each([
    ['', false],
    ['a passphrase', true],
  ])('reads an OpenSSH key made by ssh-keygen (passphrase %j)', (passphrase, encrypted) => {
    const file = join(mkdtempSync(join(tmpdir(), 'leakguard-ssh-')), 'id');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'test', '-f', file]);
    expect(scan(readFileSync(file, 'utf8'))[0]?.details).toEqual({ keyType: 'ssh-ed25519', encrypted });
  });

  it('keeps checksum results: a valid GitHub token and one with a broken CRC32', () => {
    const valid = fakeGithubToken(501);
    const broken = valid.slice(0, -1) + (valid.endsWith('A') ? 'B' : 'A');
    const found = scan(`a=${valid}\nb=${broken}\n`);
    expect(found.map((f) => [f.location.line, f.checksum])).toEqual([
      [1, 'valid'],
      [2, 'invalid'],
    ]);
  });
});
