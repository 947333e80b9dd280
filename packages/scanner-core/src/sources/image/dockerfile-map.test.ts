import { describe, expect, it } from 'vitest';
import { mapDockerfile, parseDockerfile } from './dockerfile-map.js';

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',
  'FROM golang:1.22 AS build',
  'RUN go build ./...',
  '',
  'FROM busybox:1',
  'ARG BUILD_TOKEN',
  'ENV API_TOKEN=x \\',
  '    OTHER=y',
  '# a comment',
  'COPY secret.txt /app/secret.txt',
  'RUN echo "build=$BUILD_TOKEN" \\',
  '  # comment inside a continuation',
  '  > /app/build.txt',
].join('\n');

const base = [{ created_by: '/bin/sh -c #(nop) ADD file:abc in / ' }, { created_by: '/bin/sh -c #(nop)  CMD ["sh"]', empty_layer: true }];

describe('--dockerfile mapping', () => {
  it('parses instructions with continuation lines and comments', () => {
    expect(parseDockerfile(DOCKERFILE).map((i) => [i.keyword, i.line])).toEqual([
      ['FROM', 2],
      ['RUN', 3],
      ['FROM', 5],
      ['ARG', 6],
      ['ENV', 7],
      ['COPY', 10],
      ['RUN', 11],
    ]);
  });

  it.each([
    [
      'classic builder',
      [
        { created_by: '/bin/sh -c #(nop)  ARG BUILD_TOKEN', empty_layer: true },
        { created_by: '/bin/sh -c #(nop)  ENV API_TOKEN=x OTHER=y', empty_layer: true },
        { created_by: '/bin/sh -c #(nop) COPY file:123 in /app/secret.txt ' },
        { created_by: '|1 BUILD_TOKEN=t /bin/sh -c echo "build=$BUILD_TOKEN"   > /app/build.txt' },
      ],
    ],
    [
      'BuildKit',
      [
        { created_by: 'ARG BUILD_TOKEN', comment: 'buildkit.dockerfile.v0', empty_layer: true },
        { created_by: 'ENV API_TOKEN=x OTHER=y', comment: 'buildkit.dockerfile.v0', empty_layer: true },
        { created_by: 'COPY secret.txt /app/secret.txt # buildkit', comment: 'buildkit.dockerfile.v0' },
        { created_by: 'RUN |1 BUILD_TOKEN=t /bin/sh -c echo "build=$BUILD_TOKEN" > /app/build.txt # buildkit', comment: 'buildkit.dockerfile.v0' },
      ],
    ],
  ])('maps %s history entries of the final stage to lines', (_builder, own) => {
    const map = mapDockerfile(parseDockerfile(DOCKERFILE), [...base, ...own]);
    expect([...(map?.history ?? [])]).toEqual([
      [2, 6],
      [3, 7],
      [4, 10],
      [5, 11],
    ]);
    expect(map?.env.get('OTHER')).toBe(7);
  });

  it('refuses a Dockerfile that did not build the image', () => {
    expect(mapDockerfile(parseDockerfile('FROM x\nCOPY a /a\nCOPY b /b\n'), [...base, { created_by: '/bin/sh -c make' }, { created_by: '/bin/sh -c make install' }])).toBeUndefined();
  });
});
