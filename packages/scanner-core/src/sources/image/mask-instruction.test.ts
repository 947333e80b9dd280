import { describe, expect, it } from 'vitest';
import { githubStyleToken } from '../../rules/checksums.js';
import { maskInstruction } from './mask-instruction.js';

const token = githubStyleToken('ghp', 'Q7w2E8r4T1y6U3i5O0p7A2s9D4g6H1');

describe('maskInstruction', () => {
  it.each([
    ['a build arg value', `|1 BUILD_TOKEN=${token} /bin/sh -c make`],
    ['a long token anywhere', `/bin/sh -c echo ${token} > /app/t`],
    ['a short password after a secret-sounding key', '/bin/sh -c mysql --password hunter22 -e x'],
    ['a key=value password', '/bin/sh -c echo DB_PASSWORD=hunter22 >> .env'],
  ])('masks %s', (_what, text) => {
    const masked = maskInstruction(text);
    expect(masked).not.toContain(token);
    expect(masked).not.toContain('hunter22');
  });

  it('keeps ordinary instructions readable', () => {
    expect(maskInstruction('/bin/sh -c cp secrets /app && apt-get install -y curl')).toBe('/bin/sh -c cp secrets /app && apt-get install -y curl');
    expect(maskInstruction('COPY file:abc in /etc/ ')).toBe('COPY file:abc in /etc/ ');
  });

  it('caps the length', () => {
    expect(maskInstruction(`RUN ${'x '.repeat(400)}`).length).toBeLessThanOrEqual(300);
  });
});
