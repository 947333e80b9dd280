import { readFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { createScanner, UsageError } from '@leakguard/scanner-core';
import {
  DEFAULT_MAX_DECOMPRESSION_RATIO,
  findCredentials,
  hasRegistryHost,
  IMAGE_INPUT_KINDS,
  ImageSource,
  imageProvider,
  LayerCache,
  layerScanKey,
  parsePlatform,
  parseReference,
  type ImageInputKind,
  type RegistryCredentials,
} from '@leakguard/scanner-core/sources/image';
import type { CliIo } from '../io.js';
import { SOURCE_THREADS } from '../pool-size.js';
import { resolveConfig, runScan } from '../run-scan.js';
import { maxFileSize, withScanOptions, type ScanArgs } from '../scan-options.js';
import { VERSION } from '../version.js';
import { defineCommand } from './command.js';

interface ImageArgs extends ScanArgs {
  readonly images: string[];
  readonly from?: ImageInputKind;
  readonly platform?: string;
  readonly 'docker-host'?: string;
  readonly username?: string;
  readonly 'password-stdin': boolean;
  readonly insecure: boolean;
  readonly timeout: number;
  readonly 'cache-dir'?: string;
  readonly 'verify-digests': boolean;
  readonly 'max-decompression-ratio': number;
  readonly dockerfile?: string;
  readonly 'max-archive-depth': number;
}

export const imageCommand = defineCommand<ImageArgs>({
  command: 'image <images..>',
  describe: 'scan container images: docker/podman save tarballs, OCI layouts, the Docker daemon, registries',
  builder: (yargs) =>
    withScanOptions(yargs)
      .positional('images', { type: 'string', array: true, describe: 'archive path, OCI layout directory, local image name, or registry/repo:tag[@sha256:...]' })
      .option('from', { choices: IMAGE_INPUT_KINDS, describe: 'where the image is (default: detected: file/directory, then daemon, then registry)' })
      .option('platform', { type: 'string', describe: 'os/arch[/variant] to pick from a multi-platform image (registry default linux/amd64)' })
      .option('docker-host', { type: 'string', describe: 'Docker API endpoint (default: $DOCKER_HOST, else unix:///var/run/docker.sock)' })
      .option('username', { type: 'string', describe: 'registry user (with --password-stdin)' })
      .option('password-stdin', { type: 'boolean', default: false, describe: 'read the registry password or token from stdin' })
      .option('insecure', { type: 'boolean', default: false, describe: 'talk plain HTTP to the registry' })
      .option('timeout', { type: 'number', default: 60, describe: 'registry timeout in seconds (no headers, or under 1 KiB of body per period)' })
      .option('max-archive-depth', { type: 'number', default: 2, describe: 'open tarballs found inside layers this many levels deep (0 = never)' })
      .option('dockerfile', { type: 'string', describe: 'the Dockerfile that built the image: layer and config findings name the line of their instruction' })
      .option('cache-dir', { type: 'string', describe: 'keep per-layer results here so unchanged layers are not rescanned by later runs' })
      .option('verify-digests', {
        type: 'boolean',
        default: false,
        describe: 'check local layers against their digests and diff ids (always done for registry layers and with --cache-dir)',
      })
      .option('max-decompression-ratio', {
        type: 'number',
        default: DEFAULT_MAX_DECOMPRESSION_RATIO,
        describe: 'stop reading a layer that inflates more than this many times (0 = no limit)',
      }) as never,
  handler: async (args, io) => {
    const password = await readPassword(args, io);
    const platform = args.platform === undefined ? undefined : parsePlatform(args.platform);
    const cache = await layerCache(args, io);
    const dockerfile = await readDockerfile(args, io);
    const limits = {
      ...(maxFileSize(args) === undefined ? {} : { maxFileSize: maxFileSize(args) }),
      maxDecompressionRatio: args['max-decompression-ratio'],
      maxArchiveDepth: args['max-archive-depth'],
    };
    const sources: ImageSource[] = [];
    for (const image of args.images) {
      const credentials = await registryCredentials(image, args, password, io);
      const provider = await imageProvider(image, {
        cwd: io.cwd,
        ...(args.from === undefined ? {} : { from: args.from }),
        ...(platform === undefined ? {} : { platform }),
        ...dockerHost(args, io),
        maxDecompressionRatio: args['max-decompression-ratio'],
        registry: { insecure: args.insecure, timeoutMs: args.timeout * 1000, ...(credentials === undefined ? {} : { credentials }) },
      });
      sources.push(new ImageSource(provider, { cache, ...limits, verifyDigests: args['verify-digests'], ...(dockerfile === undefined ? {} : { dockerfile }) }));
    }
    try {
      // Unpacking keeps this thread busy (reading, inflating, tar parsing: ~1 s of CPU for the 700 MB bench
      // image), so matching gets one worker fewer than --jobs: a second worker's warm-up (compiling,
      // RE2's automata, the JIT: ~0.6 s of CPU) cost more than it saved. 2 cores, the same build, 7 interleaved
      // runs: bench image 2.58 → 2.33 s with one worker (`--jobs 3` gives the two of before). 600 MB of text
      // files in one layer: 3.01 s, and 2.96 with a second worker once 128 MB had gone by (3 runs).
      return await runScan(args, io, sources, '.', 'image', { large: true, sourceThreads: SOURCE_THREADS.image });
    } finally {
      await cache.flush();
    }
  },
});

function dockerHost(args: ImageArgs, io: CliIo): { dockerHost?: string } {
  const host = args['docker-host'] ?? io.env['DOCKER_HOST'];
  return host === undefined || host === '' ? {} : { dockerHost: host };
}

/** The cache for this run; with --cache-dir its entries are bound to everything that decides findings. */
async function layerCache(args: ImageArgs, io: CliIo): Promise<LayerCache> {
  const dir = args['cache-dir'];
  if (dir === undefined) return new LayerCache();
  const config = resolveConfig(args, io, '.');
  const key = io.env['LEAKGUARD_FINGERPRINT_KEY'];
  const fingerprintKey = key === undefined || key === '' ? undefined : key;
  const scanner = createScanner(config, fingerprintKey === undefined ? {} : { fingerprintKey });
  const { path: _where, ...settings } = config;
  const scanKey = layerScanKey({
    version: VERSION,
    rules: scanner.rules,
    engineSettings: settings,
    fingerprintKey,
    limits: { maxFileSize: maxFileSize(args) ?? null, maxDecompressionRatio: args['max-decompression-ratio'], maxArchiveDepth: args['max-archive-depth'] },
  });
  await Promise.resolve();
  return new LayerCache({ dir: resolve(io.cwd, dir), scanKey, rules: scanner.engine.rules.map((r) => r.info) });
}

async function readDockerfile(args: ImageArgs, io: CliIo): Promise<{ path: string; text: string } | undefined> {
  if (args.dockerfile === undefined) return undefined;
  const full = resolve(io.cwd, args.dockerfile);
  try {
    return { path: relative(io.cwd, full).split(sep).join('/'), text: await readFile(full, 'utf8') };
  } catch (error) {
    throw new UsageError(`--dockerfile ${args.dockerfile}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

async function readPassword(args: ImageArgs, io: CliIo): Promise<string | undefined> {
  if (!args['password-stdin']) {
    if (args.username !== undefined) throw new UsageError('--username needs --password-stdin (passwords are never taken on the command line)');
    return undefined;
  }
  if (args.username === undefined) throw new UsageError('--password-stdin needs --username');
  const text = (await readAll(io.stdin)).replace(/\r?\n$/, '');
  if (text === '') throw new UsageError('--password-stdin: standard input is empty');
  return text;
}

async function registryCredentials(image: string, args: ImageArgs, password: string | undefined, io: CliIo): Promise<RegistryCredentials | undefined> {
  if (args.from !== 'registry' && !hasRegistryHost(image)) return undefined;
  let registry: string;
  try {
    registry = parseReference(image).registry;
  } catch {
    return undefined; // not a reference: a file or daemon name, reported by the provider
  }
  return findCredentials(registry, {
    env: io.env,
    ...(args.username === undefined ? {} : { username: args.username }),
    ...(password === undefined ? {} : { password }),
  });
}

async function readAll(stream: Readable): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(String(part)));
  return Buffer.concat(parts).toString('utf8');
}
