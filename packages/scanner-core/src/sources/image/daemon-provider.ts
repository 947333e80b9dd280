// dockerode (with its gRPC and SSH stack) is loaded only when a daemon is actually asked: importing it
// eagerly cost every command, even `git --staged`, a third of a second of start-up.
import type Docker from 'dockerode';
import { InputError } from '../../errors.js';
import type { ImageAccess, ImageProvider } from './image-provider.js';

export interface DaemonOptions {
  /** `unix:///path/docker.sock` or `tcp://host:port`; default: DOCKER_HOST, else /var/run/docker.sock. */
  readonly dockerHost?: string;
}

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** dockerode connection options for a DOCKER_HOST value. */
export function dockerConnection(host: string): Docker.DockerOptions {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host.startsWith('/')) return { socketPath: host };
  const tcp = /^(?:tcp|http):\/\/([^:/]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(host);
  if (tcp) return { protocol: 'http', host: tcp[1] ?? 'localhost', port: Number(tcp[2] ?? '2375') };
  throw new InputError(`--docker-host ${host}: expected unix:///path/to/docker.sock or tcp://host:port`);
}

/**
 * An image the local engine (Docker, or Podman's Docker API) knows, read with dockerode: the export
 * `GET /images/{name}/get` is streamed straight into the scanner (twice: metadata pass, scan pass) and
 * never written to disk.
 */
export class DaemonProvider implements ImageProvider {
  readonly input: string;
  readonly #host: string;
  #docker: Docker | undefined;

  constructor(name: string, options: DaemonOptions = {}) {
    this.input = name;
    this.#host = options.dockerHost ?? DEFAULT_DOCKER_HOST;
  }

  async #client(): Promise<Docker> {
    if (this.#docker === undefined) {
      const { default: DockerClient } = await import('dockerode');
      this.#docker = new DockerClient(dockerConnection(this.#host));
    }
    return this.#docker;
  }

  /** Whether the daemon answers and knows this image (for input auto-detection). */
  async knows(): Promise<boolean> {
    try {
      await (await this.#client()).getImage(this.input).inspect();
      return true;
    } catch {
      return false;
    }
  }

  async open(): Promise<ImageAccess> {
    const image = (await this.#client()).getImage(this.input);
    try {
      await image.inspect();
    } catch (error) {
      throw this.#error(error);
    }
    return {
      kind: 'stream',
      open: async () => {
        try {
          return (await image.get()) as AsyncIterable<Buffer>;
        } catch (error) {
          throw this.#error(error);
        }
      },
    };
  }

  #error(error: unknown): InputError {
    const status = (error as { statusCode?: number } | undefined)?.statusCode;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (status === 404) return new InputError(`${this.input}: no such image in the Docker daemon at ${this.#host}`);
    if (code !== undefined) return new InputError(`${this.input}: cannot reach the Docker daemon at ${this.#host} (${code})`);
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : 'error';
    return new InputError(`${this.input}: Docker daemon at ${this.#host} refused the export (${status ?? ''} ${message})`.replace('( ', '('));
  }
}
