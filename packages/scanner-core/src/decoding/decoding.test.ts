import { describe, expect, it } from 'vitest';
import { wholeChunk } from '../chunk.js';
import { compileRules } from '../engine/compiled-rule.js';
import { Engine } from '../engine/engine.js';
import { loadRuleFile, defaultRulesDir } from '../rules/rule-loader.js';
import type { RuleDefinition } from '../rules/rule.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
import { join } from 'node:path';

const dbRule: RuleDefinition = {
  id: 'acme.db-password',
  provider: 'acme',
  description: 'password in a postgres URL',
  pattern: 'postgres://[a-z]+:([^@\\s]{8,})@',
  keywords: ['postgres://'],
  severity: 'high',
  tags: [],
  references: [],
  generic: false,
  examples: [],
  negativeExamples: [],
  source: 'test',
};
const rules = compileRules([...loadRuleFile(join(defaultRulesDir(), 'github.yaml')), dbRule]);
const engine = new Engine(rules, { decode: { depth: 2, maxBytes: 1024 * 1024 } });
const b64 = (text: string): string => Buffer.from(text).toString('base64');
// Built at run time so this file holds no connection string with a password (the repo scans itself).
const pgUrl = (password: string, rest: string): string => `${['postgres', '//app'].join(':')}:${password}@${rest}`;
const PASSWORD = ['S3cr3t', 'Pa55w0rd!'].join('-');
const PASSWORD2 = ['Pl41n', 'T3xtPw'].join('');

function scan(text: string, e: Engine = engine) {
  const data = Buffer.from(text);
  return e.scan(wholeChunk(data, { kind: 'file', path: 'manifest.yaml' })).map((f) => ({
    rule: f.rule.id,
    value: f.secret.reveal(),
    decoded: f.decoded,
    line: f.location.line,
    span: data.toString('utf8', f.location.offset, f.location.endOffset),
    column: f.location.column,
  }));
}

describe('decoding', () => {
  const token = fakeGithubToken(401);

  it('finds a token in a Kubernetes Secret manifest data: value and points at the base64 text', () => {
    const encoded = b64(token);
    const manifest = [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      '  name: ci-credentials',
      'type: Opaque',
      'data:',
      `  username: ${b64('deploy-bot')}`,
      `  token: ${encoded}`,
      '',
    ].join('\n');
    const [f, ...rest] = scan(manifest);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'github.pat-classic', value: token, decoded: 'base64', line: 8, column: 10 });
    expect(f?.span).toBe(encoded);
  });

  it('finds a registry token inside a base64 .dockerconfigjson (base64 inside base64: depth 2)', () => {
    const dockerConfig = JSON.stringify({ auths: { 'registry.example.com': { auth: b64(`deploy:${token}`) } } });
    const outer = b64(dockerConfig);
    const manifest = `kind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${outer}\n`;
    const found = scan(manifest);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'github.pat-classic', value: token, decoded: 'base64/base64', line: 4 });
    // The span is the part of the outer base64 that encodes the inner one's token bytes.
    expect(outer).toContain(found[0]?.span);
    expect(found[0]?.span.length).toBeLessThan(outer.length);
    expect(found[0]?.span.length).toBeGreaterThan(token.length);
    const depth1 = new Engine(rules, { decode: { depth: 1, maxBytes: 1024 * 1024 } });
    expect(scan(manifest, depth1)).toEqual([]);
  });

  it('finds a password in a URL-encoded connection string', () => {
    const url = encodeURIComponent(pgUrl(PASSWORD, 'db.internal:5432/app'));
    const found = scan(`DATABASE_URL_ENCODED=${url}\n`);
    expect(found).toEqual([expect.objectContaining({ rule: 'acme.db-password', value: PASSWORD, decoded: 'url' })]);
    expect(found[0]?.span).toBe(encodeURIComponent(PASSWORD));
  });

  it('finds a token hidden in JSON \\u escapes and in hex', () => {
    const escaped = [...token].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const json = scan(`{"name": "ci", "token": "${escaped}"}\n`);
    expect(json).toEqual([expect.objectContaining({ value: token, decoded: 'escape', span: escaped })]);
    const hex = Buffer.from(token).toString('hex');
    expect(scan(`token_hex: ${hex}\n`)).toEqual([expect.objectContaining({ value: token, decoded: 'hex', span: hex })]);
    expect(scan(`TOKEN_HEX=${hex}\nprefix_${hex}\n`).map((f) => f.line)).toEqual([1, 2]);
  });

  it('decodes an escaped run that starts in the owned bytes of a chunk when its first escape lies after them', () => {
    const plain = token.slice(0, 20);
    const escaped = [...token.slice(20)].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
    const data = Buffer.from(`{"token": "${plain}${escaped}"}\n`);
    const ownedEnd = data.indexOf(plain) + 5; // a window's owned bytes end inside the run, before any backslash
    const findings = engine.scan({ ...wholeChunk(data, { kind: 'file', path: 'app.log' }), ownedEnd });
    expect(findings.map((f) => [f.secret.reveal(), f.decoded])).toEqual([[token, 'escape']]);
    const next = engine.scan({ ...wholeChunk(data, { kind: 'file', path: 'app.log' }), ownedStart: ownedEnd });
    expect(next).toEqual([]); // the chunk that owns the rest leaves the run to the one it starts in
  });

  it('keeps keyword context from the line for rules that need it', () => {
    const found = scan(`env:\n  DB: ${b64(pgUrl(PASSWORD2, 'db/app'))}\n`);
    expect(found).toEqual([expect.objectContaining({ rule: 'acme.db-password', value: PASSWORD2, decoded: 'base64', line: 2 })]);
  });

  it('does not decode identifiers, hashes and ordinary base64 data into findings', () => {
    const code = [
      'export function ConfigurationManagerFactoryProvider() {}',
      'const sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";',
      `const png = "${Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37) % 256)).toString('base64')}";`,
    ].join('\n');
    expect(scan(code)).toEqual([]);
  });

  it('stops decoding at the per-chunk budget and counts the chunk', () => {
    const small = new Engine(rules, { decode: { depth: 2, maxBytes: 8 * 1024 } });
    const filler = Array.from({ length: 400 }, (_, i) => `  line${i}: ${b64(`just some harmless configuration text number ${i}`)}`).join('\n');
    const early = `  first: ${b64(token)}\n`;
    const late = `\n  last: ${b64(fakeGithubToken(402))}\n`;
    const found = scan(early + filler + late, small);
    expect(found.map((f) => f.value)).toEqual([token]);
    expect(small.decodeStats?.budgetExhausted).toBe(1);
    expect(small.decodeStats?.decodedBytes).toBeLessThanOrEqual(8 * 1024);
    expect(scan(early + filler + late).map((f) => f.value)).toEqual([token, fakeGithubToken(402)]);
  });

  it('decodes base64 right after a non-ASCII character (curly quotes, full-width colon)', () => {
    const encoded = b64(token);
    for (const text of [`the token is \u201c${encoded}\u201d`, `令牌\uff1a${encoded}`, `clé:«${encoded}»`]) {
      const [f, ...rest] = scan(text);
      expect(rest).toEqual([]);
      expect(f).toMatchObject({ rule: 'github.pat-classic', value: token, decoded: 'base64' });
      expect(f?.span).toBe(encoded);
    }
  });

  it('decodes a base64 blob larger than the budget only up to the budget', () => {
    const small = new Engine(rules, { decode: { depth: 1, maxBytes: 4096 } });
    const text = `${token} `.repeat(400);
    const found = scan(`blob: ${b64(text)}\n`, small);
    expect(found.length).toBeGreaterThan(50);
    expect(found.length).toBeLessThan(110);
  });
});
