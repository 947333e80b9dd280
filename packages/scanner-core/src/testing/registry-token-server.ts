import { execFile } from 'node:child_process';
import { createPrivateKey, createSign, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The token side of the registry "token" auth scheme, for a real docker-registry configured with
 * `auth: token`: checks HTTP Basic credentials, then issues an RS256 JWT signed with a fresh self-signed
 * certificate (openssl) that the registry trusts via `rootcertbundle`.
 */
export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** PEM certificate for the registry's rootcertbundle. */
  readonly certificate: string;
  /** Requests seen, for asserting the flow (`scope` and whether Basic credentials were sent). */
  readonly requests: { readonly scope: string | null; readonly service: string | null; readonly basic: boolean }[];
  stop(): Promise<void>;
}

export async function startTokenServer(user: { readonly username: string; readonly password: string }): Promise<TokenServer> {
  const dir = await mkdtemp(join(tmpdir(), 'leakguard-token-'));
  const keyFile = join(dir, 'key.pem');
  const certificate = join(dir, 'cert.pem');
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certificate, '-days', '1', '-subj', '/CN=leakguard-test-token']);
  const key = createPrivateKey(await readFile(keyFile));
  const der = new X509Certificate(await readFile(certificate)).raw.toString('base64');
  const service = 'leakguard-test-registry';
  const issuer = 'leakguard-test-issuer';
  const requests: { scope: string | null; service: string | null; basic: boolean }[] = [];
  const expected = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const scope = url.searchParams.get('scope');
    requests.push({ scope, service: url.searchParams.get('service'), basic: request.headers.authorization !== undefined });
    if (request.headers.authorization !== expected) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="leakguard-test-token"' }).end();
      return;
    }
    const access = (scope ?? '')
      .split(' ')
      .filter((s) => s !== '')
      .map((s) => {
        const [type, name, actions] = s.split(':');
        return { type, name, actions: (actions ?? '').split(',') };
      });
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    const body = `${encode({ typ: 'JWT', alg: 'RS256', x5c: [der] })}.${encode({ iss: issuer, sub: user.username, aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: `${now}-${requests.length}`, access })}`;
    const signature = createSign('RSA-SHA256').update(body).sign(key).toString('base64url');
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: `${body}.${signature}`, expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certificate,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
