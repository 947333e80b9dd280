import { describe, expect, it } from 'vitest';
import { planFor } from './event-plan.js';
import { pullRequestEvent, pushEvent, REPOSITORY, ZEROS } from './testing/event-payloads.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('planFor', () => {
  it.each([
    ['pull_request', pullRequestEvent({ number: 3, base: A, head: B, commits: 300 }), { kind: 'range', base: A, head: B, firstDepth: 301, pullRequest: { number: 3, commits: 300 } }],
    ['pull_request_target', pullRequestEvent({ number: 4, base: A, head: B, commits: 2 }), { kind: 'range', base: A, head: B, label: 'pull request #4' }],
    ['pull_request', pullRequestEvent({ number: 5, base: A, head: A, commits: 0 }), { kind: 'nothing' }],
    ['push', pushEvent({ ref: 'refs/heads/topic', before: A, after: B, commits: [B] }), { kind: 'range', base: A, head: B, firstDepth: 2, push: { ref: 'refs/heads/topic', defaultBranch: 'main' } }],
    ['push', pushEvent({ ref: 'refs/heads/topic', before: ZEROS, after: B }), { kind: 'new-branch', head: B, defaultBranch: 'main', firstDepth: 50 }],
    ['push', pushEvent({ ref: 'refs/heads/main', before: ZEROS, after: B }), { kind: 'history', label: 'push to main: new default branch, full history' }],
    ['push', pushEvent({ ref: 'refs/heads/topic', before: A, after: ZEROS }), { kind: 'nothing', label: 'push to topic: the ref was deleted' }],
    ['push', pushEvent({ ref: 'refs/heads/topic', before: A, after: A }), { kind: 'nothing' }],
    ['merge_group', { merge_group: { head_sha: B, head_ref: 'refs/heads/gh-readonly-queue/main/pr-1', base_sha: A, base_ref: 'refs/heads/main' }, repository: REPOSITORY }, { kind: 'range', base: A, head: B }],
    ['schedule', { schedule: '17 3 * * 1' }, { kind: 'history', label: 'schedule: full history' }],
    ['workflow_dispatch', { inputs: {}, ref: 'refs/heads/main', repository: REPOSITORY }, { kind: 'history' }],
  ])('%s → %j', (event, payload, plan) => {
    expect(planFor(event, payload as Record<string, unknown>)).toMatchObject(plan);
  });

  it.each([
    ['pull_request', {}, 'pull_request event: the payload has no pull_request object'],
    ['pull_request', { pull_request: { base: { sha: A } } }, 'pull_request event: the payload has no pull_request.head object'],
    ['pull_request', { pull_request: { base: { sha: A }, head: { sha: 'main' } } }, 'pull_request event: the payload has no commit id in pull_request.head.sha'],
    ['push', { ref: 'refs/heads/x', before: A }, 'push event: the payload has no commit id in after'],
  ])('%s with a broken payload %j fails with one line', (event, payload, message) => {
    expect(() => planFor(event, payload)).toThrow(message);
  });
});
