import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A real Debian `docker-registry` on a free loopback port, with its own storage and config. */
export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string;
  /** Where blobs are stored (tests corrupt them here). */
  readonly storage: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** Require HTTP basic auth against an htpasswd file with this one user. */
  readonly htpasswd?: { readonly username: string; readonly password: string };
  /** Require bearer tokens from this token service (see registry-token-server.ts). */
  readonly token?: { readonly realm: string; readonly service: string; readonly issuer: string; readonly certificate: string };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `docker-registry serve` and waits until `/v2/` answers (200, or 401 with auth). */
export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'leakguard-registry-'));
  const storage = join(dir, 'data');
  await mkdir(storage);
  let auth = '';
  if (options.htpasswd !== undefined) {
    const file = join(dir, 'htpasswd');
    // htpasswd -B: bcrypt, the only hash docker-registry accepts. The password goes via stdin (-i).
    await new Promise<void>((resolve, reject) => {
      const child = spawn('htpasswd', ['-B', '-c', '-i', file, options.htpasswd?.username ?? 'user'], { stdio: ['pipe', 'ignore', 'pipe'] });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`htpasswd exited ${code ?? 'by signal'}`))));
      child.stdin.end(options.htpasswd?.password ?? '');
    });
    auth = `auth:\n  htpasswd:\n    realm: leakguard-test\n    path: ${file}\n`;
  }
  if (options.token !== undefined) {
    const t = options.token;
    auth = `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.certificate}\n`;
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(dir, 'config.yml');
    await writeFile(
      config,
      `version: 0.1\nlog: { level: error }\nstorage:\n  filesystem: { rootdirectory: ${storage} }\n  delete: { enabled: true }\nhttp: { addr: 127.0.0.1:${port} }\n${auth}`,
    );
    const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => (stderr += b.toString()));
    const host = `127.0.0.1:${port}`;
    if (await ready(host, child)) {
      return { host, storage, stop: () => stop(child, dir) };
    }
    lastError = new Error(`docker-registry did not start: ${stderr.slice(-500)}`);
    await stop(child, undefined);
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function ready(host: string, child: ChildProcess): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(`http://${host}/v2/`);
      await response.body?.cancel();
      if (response.status === 200 || response.status === 401) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

async function stop(child: ChildProcess, dir: string | undefined): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
}

/** `skopeo copy` into the test registry over plain HTTP (`source` like `docker-archive:/x.tar`). */
export async function skopeoPush(
  source: string,
  destination: string,
  options: { readonly creds?: string; readonly extra?: readonly string[] } = {},
): Promise<void> {
  await run('skopeo', [
    '--insecure-policy',
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    ...(options.creds === undefined ? [] : ['--dest-creds', options.creds]),
    ...(options.extra ?? []),
    source,
    `docker://${destination}`,
  ]);
}
