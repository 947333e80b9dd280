/**
 * Where a chunk's bytes came from. Sources fill this in; the engine copies it onto findings untouched.
 * One tagged variant per kind of input, so reporters can print provenance without knowing sources.
 */
export type Origin =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'stdin'; readonly path: string }
  | {
      readonly kind: 'git-blob';
      readonly path: string;
      readonly blob: string;
      readonly commit?: string;
      readonly author?: string;
      readonly email?: string;
      readonly date?: string;
      /** The later commit that removed or replaced this blob at this path: the secret is gone from the tip but not from history. */
      readonly deletedIn?: string;
    }
  | {
      readonly kind: 'git-diff';
      readonly path: string;
      readonly commit?: string;
      readonly author?: string;
      readonly email?: string;
      readonly date?: string;
    }
  | {
      readonly kind: 'image-layer';
      readonly path: string;
      readonly image: string;
      readonly imageDigest?: string;
      readonly layer: string;
      readonly layerIndex: number;
      /** Digest of the uncompressed layer (config rootfs.diff_ids) when it differs from `layer`. */
      readonly diffId?: string;
      /** The Dockerfile instruction (history created_by) that made the layer; secrets in it are masked. */
      readonly createdBy?: string;
      /** `removed-in-later-layer`: a later layer's whiteout deleted this file, but its bytes ship in the image. */
      readonly flag?: 'removed-in-later-layer';
      /** The layer (digest) whose whiteout deleted the file, and its index. */
      readonly removedInLayer?: string;
      readonly removedInLayerIndex?: number;
      /** With `--dockerfile`: the Dockerfile and the line of the instruction that made the layer. */
      readonly dockerfile?: string;
      readonly dockerfileLine?: number;
    }
  | {
      readonly kind: 'image-config';
      readonly path: string;
      readonly image: string;
      readonly imageDigest?: string;
      /** With `--dockerfile`: the line of the ENV/ARG/RUN instruction this config text came from. */
      readonly dockerfile?: string;
      readonly dockerfileLine?: number;
    }
  | {
      readonly kind: 'log';
      readonly path: string;
      /** The line's own timestamp (ISO-8601, syslog or common-log text as written), when it has one. */
      readonly timestamp?: string;
      /** `gzip` or `zstd` when the file was decompressed; lines and offsets are in the decoded text. */
      readonly compression?: string;
      /** With dedupe: how many times this secret occurred, and where it was seen last. */
      readonly occurrences?: number;
      readonly lastPath?: string;
      readonly lastLine?: number;
      readonly lastColumn?: number;
      readonly lastOffset?: number;
      readonly lastTimestamp?: string;
    };

export type OriginKind = Origin['kind'];
