import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { wholeChunk } from '../chunk.js';
import type { RuleDefinition } from '../rules/rule.js';
import { fakeGithubToken } from '../testing/fake-tokens.js';
import { compileRules } from './compiled-rule.js';
import { Engine } from './engine.js';

function rule(overrides: Partial<RuleDefinition> & Pick<RuleDefinition, 'id' | 'pattern' | 'keywords'>): RuleDefinition {
  return {
    provider: overrides.id.split('.')[0] ?? '',
    description: overrides.id,
    severity: 'high',
    tags: [],
    references: [],
    generic: false,
    examples: [],
    negativeExamples: [],
    source: 'test',
    ...overrides,
  };
}

const github = rule({ id: 'github.pat-classic', pattern: '\\b(ghp_[A-Za-z0-9]{36})\\b', keywords: ['ghp_'], checksum: 'github-crc32' });
const generic = rule({
  id: 'generic.token',
  pattern: '(?i)token\\s*[:=]\\s*["\']?([A-Za-z0-9_]{16,64})',
  keywords: ['token'],
  generic: true,
  minEntropy: 3,
});

function scan(engine: Engine, text: string) {
  return engine.scan(wholeChunk(Buffer.from(text), { kind: 'file', path: 'a.txt' }));
}

describe('Engine', () => {
  const engine = new Engine(compileRules([github, generic]));
  const token = fakeGithubToken(1);

  it('reports the capture group with 1-based line and column', () => {
    const [f, ...rest] = scan(engine, `first line\n  key = "${token}"\n`);
    expect(rest).toEqual([]);
    expect(f?.rule.id).toBe('github.pat-classic');
    expect(f?.secret.reveal()).toBe(token);
    expect(f?.location).toMatchObject({ line: 2, column: 10, endLine: 2, endColumn: 10 + token.length, offset: 20 });
  });

  it('counts columns in code points, not bytes', () => {
    const [f] = scan(engine, `é€😀 ${token}`);
    expect(f?.location.column).toBe(5);
  });

  it('keeps the vendor finding when a generic rule claims the same bytes', () => {
    const findings = scan(engine, `token = ${token}`);
    expect(findings.map((f) => f.rule.id)).toEqual(['github.pat-classic']);
  });

  it('flags a token whose CRC32 checksum does not match instead of dropping it', () => {
    const broken = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    expect(scan(engine, token)[0]?.checksum).toBe('valid');
    expect(scan(engine, broken)[0]?.checksum).toBe('invalid');
  });

  it('drops generic values below the entropy floor and placeholders', () => {
    expect(scan(engine, 'token = aaaaaaaaaaaaaaaaaaaa')).toEqual([]);
    expect(scan(engine, 'token = ${GITHUB_TOKEN_VALUE}')).toEqual([]);
    expect(scan(engine, 'token = your_token_goes_here_1')).toEqual([]);
    expect(scan(engine, `token = ${'Zq8vN2k'}${'Lp4Xr7Tb1'}`).map((f) => f.rule.id)).toEqual(['generic.token']);
  });

  it('keeps the meaning of a leading \\b it searches without (memchr on the literal prefix)', () => {
    const acme = new Engine(compileRules([rule({ id: 'acme.key', pattern: '\\b(acme_[a-z]{8})\\b', keywords: ['acme_'] })]));
    const found = scan(acme, 'xacme_abcdefgh _acme_bcdefghi 1acme_cdefghij acme_defghijk -acme_efghijkl\nacme_fghijklm');
    expect(found.map((f) => f.secret.reveal())).toEqual(['acme_defghijk', 'acme_efghijkl', 'acme_fghijklm']);
    expect(acme.rules[0]?.leadingGuard).toBeDefined();
  });

  it('keeps the meaning of a leading (?:^|[^…]) context it searches without', () => {
    const ion = new Engine(compileRules([rule({ id: 'ion.key', pattern: '(?:^|[^A-Za-z0-9_.])(ion_[a-z]{8})\\b', keywords: ['ion_'] })]));
    const found = scan(ion, 'ion_abcdefgh function_bcdefghi .ion_cdefghij é ion_defghijk x=ion_efghijkl');
    expect(found.map((f) => f.secret.reveal())).toEqual(['ion_abcdefgh', 'ion_defghijk', 'ion_efghijkl']);
    expect(ion.rules[0]?.leadingGuard).toBeDefined();
  });

  it('skips a match in which no capture group took part (rules swallow non-secret names that way)', () => {
    const swallow = new Engine(compileRules([rule({ id: 'x.token', pattern: '(?i)csrf_?token\\s*=\\s*\\w+|token\\s*=\\s*([A-Za-z0-9]{12})', keywords: ['token'] })]));
    const value = ['Ab3d', 'Ef6h', 'Ij9k'].join('');
    expect(scan(swallow, `csrf_token = ${value}`).map((f) => f.rule.id)).toEqual([]);
    expect(scan(swallow, `token = ${value}`).map((f) => f.secret.reveal())).toEqual([value]);
  });

  it('runs only rules whose keywords occur', () => {
    const noKeyword = new Engine(compileRules([rule({ id: 'x.y', pattern: '(zzz[0-9]{4})', keywords: ['absent'] })]));
    expect(scan(noKeyword, 'zzz1234')).toEqual([]);
    expect(scan(noKeyword, 'ABSENT zzz1234')).toHaveLength(1);
  });

  it('never serialises the secret value', () => {
    const [f] = scan(engine, token);
    const rendered = [JSON.stringify(f), inspect(f, { depth: 10 }), String(f?.secret), `${f?.secret}`];
    for (const text of rendered) expect(text).not.toContain(token);
    expect(f?.redacted).not.toContain(token.slice(4, 20));
  });

  it('gives one fingerprint per secret and a different one per location', () => {
    const a = scan(engine, `${token}\n${token}`);
    expect(a).toHaveLength(2);
    expect(a[0]?.fingerprint).toBe(a[1]?.fingerprint);
    expect(a[0]?.locationFingerprint).not.toBe(a[1]?.locationFingerprint);
    expect(a[0]?.fingerprint).not.toContain(token);
  });

  it('reports only matches that start in the chunk\'s owned range', () => {
    const data = Buffer.from(`${token} ${fakeGithubToken(2)}`);
    const owned = engine.scan({ data, origin: { kind: 'file', path: 'a' }, offset: 100, line: 3, column: 7, ownedStart: 10, ownedEnd: data.length });
    expect(owned).toHaveLength(1);
    expect(owned[0]?.location).toMatchObject({ offset: 141, line: 3, column: 48 });
  });
});
