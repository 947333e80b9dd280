import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isRecord } from './image-description.js';
import { DOCKER_HUB } from './image-reference.js';

/**
 * A registry login. Kept out of every message: errors name the registry and where the credential came
 * from, never the values. `toJSON`/`inspect` mask the password should the object ever be logged.
 */
export class RegistryCredentials {
  readonly username: string;
  readonly #password: string;
  /** `--username`, `environment`, or the docker config path: for messages. */
  readonly from: string;

  constructor(username: string, password: string, from: string) {
    this.username = username;
    this.#password = password;
    this.from = from;
  }

  /** The `Authorization: Basic` value. */
  basic(): string {
    return `Basic ${Buffer.from(`${this.username}:${this.#password}`).toString('base64')}`;
  }

  toJSON(): string {
    return `credentials from ${this.from}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `RegistryCredentials(${this.from})`;
  }
}

export interface CredentialSources {
  readonly username?: string;
  /** Read from stdin by the CLI (`--password-stdin`). */
  readonly password?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * Credentials for a registry, first found wins: `--username` + `--password-stdin`, then
 * LEAKGUARD_REGISTRY_USERNAME / LEAKGUARD_REGISTRY_PASSWORD, then `auths` in the docker config
 * ($DOCKER_CONFIG/config.json, else ~/.docker/config.json; base64 `auth` or username/password).
 * Credential helpers (credsStore) are not run. None found: anonymous.
 */
export async function findCredentials(registry: string, sources: CredentialSources): Promise<RegistryCredentials | undefined> {
  if (sources.username !== undefined && sources.password !== undefined) return new RegistryCredentials(sources.username, sources.password, '--username/--password-stdin');
  const user = sources.env['LEAKGUARD_REGISTRY_USERNAME'];
  const pass = sources.env['LEAKGUARD_REGISTRY_PASSWORD'];
  if (user !== undefined && user !== '' && pass !== undefined) return new RegistryCredentials(user, pass, 'LEAKGUARD_REGISTRY_USERNAME/_PASSWORD');
  const configDir = sources.env['DOCKER_CONFIG'] ?? join(sources.env['HOME'] ?? homedir(), '.docker');
  const path = join(configDir, 'config.json');
  let config: unknown;
  try {
    config = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
  const auths = isRecord(config) && isRecord(config['auths']) ? config['auths'] : {};
  for (const key of authKeys(registry)) {
    const entry = auths[key];
    if (!isRecord(entry)) continue;
    if (typeof entry['auth'] === 'string' && entry['auth'] !== '') {
      const decoded = Buffer.from(entry['auth'], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return new RegistryCredentials(decoded.slice(0, colon), decoded.slice(colon + 1), path);
    }
    if (typeof entry['username'] === 'string' && typeof entry['password'] === 'string') {
      return new RegistryCredentials(entry['username'], entry['password'], path);
    }
  }
  return undefined;
}

/** The keys docker uses in `auths` for a registry. */
function authKeys(registry: string): string[] {
  if (registry === DOCKER_HUB || registry === 'docker.io' || registry === 'index.docker.io') {
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  }
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}
