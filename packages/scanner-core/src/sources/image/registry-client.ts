import { createHash } from 'node:crypto';
import { InputError } from '../../errors.js';
import { isRecord, parseJson } from './image-description.js';
import { MEDIA_TYPES } from './oci-layout.js';
import type { ImageReference } from './image-reference.js';
import type { RegistryCredentials } from './registry-credentials.js';

export interface RegistryClientOptions {
  readonly credentials?: RegistryCredentials;
  /** Plain HTTP (`--insecure`). */
  readonly insecure?: boolean;
  /**
   * A request fails when the response headers take longer than this, or when a body delivers less than
   * 1 KiB in any period this long: a stalled or trickling (slowloris) registry cannot hang the scan.
   */
  readonly timeoutMs?: number;
}

export interface FetchedManifest {
  readonly mediaType: string | undefined;
  readonly digest: string;
  readonly body: Buffer;
  readonly doc: unknown;
}

const MANIFEST_ACCEPT = [MEDIA_TYPES.ociIndex, MEDIA_TYPES.dockerList, MEDIA_TYPES.ociManifest, MEDIA_TYPES.dockerManifest].join(', ');
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MIN_PROGRESS_BYTES = 1024;

/**
 * The pull side of the OCI distribution API over node's fetch: manifests and blobs, with anonymous,
 * Basic, and Bearer-token (WWW-Authenticate challenge → token endpoint) auth. Messages name the registry,
 * repository and status; never a credential or token.
 */
export class RegistryClient {
  readonly #ref: ImageReference;
  readonly #options: RegistryClientOptions;
  readonly #base: string;
  #authorization: string | undefined;

  constructor(ref: ImageReference, options: RegistryClientOptions = {}) {
    this.#ref = ref;
    this.#options = options;
    this.#base = `${options.insecure === true ? 'http' : 'https'}://${ref.registry}/v2/${ref.repository}`;
  }

  get #name(): string {
    return `${this.#ref.registry}/${this.#ref.repository}`;
  }

  /** A manifest or index by tag or digest; by digest, the content is verified against it. */
  async manifest(reference: string): Promise<FetchedManifest> {
    const response = await this.#get(`/manifests/${reference}`, MANIFEST_ACCEPT, `manifest ${reference}`);
    const body = await this.#readAll(response, MAX_MANIFEST_BYTES, `manifest ${reference}`);
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new InputError(`${this.#name}: manifest ${reference} digest mismatch (content is ${digest})`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      throw new InputError(`${this.#name}: manifest ${reference} is not JSON`);
    }
    const mediaType = response.headers.get('content-type')?.split(';')[0]?.trim() ?? (isRecord(doc) && typeof doc['mediaType'] === 'string' ? doc['mediaType'] : undefined);
    return { mediaType, digest, body, doc };
  }

  /** A small blob whole (the image config), verified against its digest. */
  async blobBytes(digest: string, maxBytes: number, what: string): Promise<Buffer> {
    const response = await this.#get(`/blobs/${digest}`, '*/*', what);
    const body = await this.#readAll(response, maxBytes, what);
    const actual = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (digest.startsWith('sha256:') && actual !== digest) throw new InputError(`${this.#name}: ${what} digest mismatch (content is ${actual})`);
    return body;
  }

  /** A blob as a stream; the layer scanner verifies its digest while it streams. */
  async blob(digest: string, what: string): Promise<AsyncIterable<Buffer>> {
    const response = await this.#get(`/blobs/${digest}`, '*/*', what);
    return this.#body(response, what);
  }

  async #get(path: string, accept: string, what: string): Promise<Response> {
    let response = await this.#fetch(`${this.#base}${path}`, accept, what);
    if (response.status === 401) {
      await response.body?.cancel();
      this.#authorization = await this.#authorize(response.headers.get('www-authenticate') ?? '', what);
      response = await this.#fetch(`${this.#base}${path}`, accept, what);
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw new InputError(`${this.#name}: credentials from ${this.#options.credentials?.from ?? 'nowhere'} were rejected (${response.status}) for ${what}`);
      }
    }
    if (response.ok) return response;
    await response.body?.cancel();
    if (response.status === 404) throw new InputError(`${this.#name}: ${what} not found (404)`);
    if (response.status === 403) throw new InputError(`${this.#name}: access to ${what} denied (403)`);
    throw new InputError(`${this.#name}: ${what}: registry answered ${response.status} ${response.statusText}`);
  }

  /** Turns a 401 challenge into an Authorization header value, or explains what is missing. */
  async #authorize(challenge: string, what: string): Promise<string> {
    const credentials = this.#options.credentials;
    const scheme = challenge.split(' ')[0]?.toLowerCase();
    if (credentials === undefined && scheme !== 'bearer') {
      throw new InputError(
        `${this.#name}: authentication required (401) for ${what}; give --username with --password-stdin, set LEAKGUARD_REGISTRY_USERNAME and LEAKGUARD_REGISTRY_PASSWORD, or docker login`,
      );
    }
    if (scheme === 'basic' && credentials !== undefined) return credentials.basic();
    if (scheme !== 'bearer') throw new InputError(`${this.#name}: unsupported authentication scheme "${scheme ?? ''}" for ${what}`);
    const params = parseChallenge(challenge);
    const realm = params['realm'];
    if (realm === undefined) throw new InputError(`${this.#name}: bearer challenge without a realm for ${what}`);
    const url = new URL(realm);
    if (params['service'] !== undefined) url.searchParams.set('service', params['service']);
    url.searchParams.set('scope', params['scope'] ?? `repository:${this.#ref.repository}:pull`);
    const response = await this.#request(url.href, { accept: 'application/json', ...(credentials === undefined ? {} : { authorization: credentials.basic() }) }, 'token');
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new InputError(
        credentials === undefined
          ? `${this.#name}: authentication required (401) for ${what}; give --username with --password-stdin, set LEAKGUARD_REGISTRY_USERNAME and LEAKGUARD_REGISTRY_PASSWORD, or docker login`
          : `${this.#name}: token service rejected the credentials from ${credentials.from} (${response.status})`,
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new InputError(`${this.#name}: token service answered ${response.status} for ${what}`);
    }
    // parseJson, not JSON.parse: a syntax error's message would quote the body, which may hold a token.
    const doc = parseJson(await this.#readAll(response, 1024 * 1024, 'token'));
    const token = isRecord(doc) ? (doc['token'] ?? doc['access_token']) : undefined;
    if (typeof token !== 'string' || token === '') throw new InputError(`${this.#name}: token service returned no token`);
    return `Bearer ${token}`;
  }

  #fetch(url: string, accept: string, what: string): Promise<Response> {
    return this.#request(url, { accept, ...(this.#authorization === undefined ? {} : { authorization: this.#authorization }) }, what);
  }

  /** One request whose headers must arrive within the timeout. */
  async #request(url: string, headers: Record<string, string>, what: string): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.#timeout);
    try {
      return await fetch(url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      if (controller.signal.aborted) throw new InputError(`${this.#name}: ${what}: no response within ${this.#timeout / 1000} s`);
      const cause = (error as { cause?: { code?: string } } | undefined)?.cause?.code ?? (error instanceof Error ? error.message : 'error');
      throw new InputError(`${this.#ref.registry}: cannot reach the registry for ${what} (${cause})${this.#options.insecure === true ? '' : '; plain-HTTP registries need --insecure'}`);
    } finally {
      clearTimeout(timer);
    }
  }

  get #timeout(): number {
    return this.#options.timeoutMs ?? 60_000;
  }

  async #readAll(response: Response, max: number, what: string): Promise<Buffer> {
    const parts: Buffer[] = [];
    let total = 0;
    for await (const part of this.#body(response, what)) {
      total += part.length;
      if (total > max) throw new InputError(`${this.#name}: ${what} is larger than ${max} bytes`);
      parts.push(part);
    }
    return Buffer.concat(parts);
  }

  /** The body, failing when less than 1 KiB arrives in a timeout period (stall or trickle). */
  async *#body(response: Response, what: string): AsyncGenerator<Buffer> {
    const body = response.body;
    if (body === null) return;
    const reader = body.getReader();
    let progress = 0;
    let stalled = false;
    const interval = setInterval(() => {
      if (progress < MIN_PROGRESS_BYTES) {
        stalled = true;
        void reader.cancel();
      }
      progress = 0;
    }, this.#timeout);
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        progress += value.byteLength;
        yield Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      }
      if (stalled) throw new Error('stalled');
    } catch (error) {
      if (stalled) throw new InputError(`${this.#name}: ${what}: transfer stalled (under ${MIN_PROGRESS_BYTES} bytes in ${this.#timeout / 1000} s)`);
      throw new InputError(`${this.#name}: ${what}: transfer failed (${error instanceof Error ? error.message : 'error'})`);
    } finally {
      clearInterval(interval);
      if (!stalled) await reader.cancel().catch(() => undefined);
    }
  }
}

/** `Bearer realm="https://auth/token",service="registry",scope="repository:x:pull"` → its parameters. */
export function parseChallenge(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const params = header.slice(header.indexOf(' ') + 1);
  for (const match of params.matchAll(/([A-Za-z]+)="([^"]*)"|([A-Za-z]+)=([^,\s]*)/g)) {
    const key = (match[1] ?? match[3] ?? '').toLowerCase();
    out[key] = match[2] ?? match[4] ?? '';
  }
  return out;
}
