import { describe, expect, it } from 'vitest';
import { parseChallenge } from './registry-client.js';
import { parseReference } from './image-reference.js';
import { RegistryCredentials } from './registry-credentials.js';
import { inspect } from 'node:util';

describe('registry client pieces', () => {
  it('parses a bearer challenge', () => {
    expect(parseChallenge('Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:team/app:pull"')).toEqual({
      realm: 'https://auth.example.com/token',
      service: 'registry.example.com',
      scope: 'repository:team/app:pull',
    });
  });

  it.each([
    ['127.0.0.1:5000/test/app:1', { registry: '127.0.0.1:5000', repository: 'test/app', tag: '1' }],
    ['localhost/app', { registry: 'localhost', repository: 'app', tag: 'latest' }],
    ['alpine', { registry: 'registry-1.docker.io', repository: 'library/alpine', tag: 'latest' }],
    [`r.example.com/a/b@sha256:${'a'.repeat(64)}`, { registry: 'r.example.com', repository: 'a/b', digest: `sha256:${'a'.repeat(64)}` }],
  ])('parses %s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it('never shows a password when credentials are printed or serialised', () => {
    const credentials = new RegistryCredentials('bot', 'not-a-real-password-123', '--username/--password-stdin');
    expect(JSON.stringify({ credentials })).not.toContain('not-a-real-password-123');
    expect(inspect(credentials)).not.toContain('not-a-real-password-123');
    expect(`${String(credentials.basic().length > 0)}`).toBe('true');
  });
});
