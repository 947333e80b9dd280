import { readFileSync } from 'node:fs';
import { InputProblem } from './action-inputs.js';
export const ZERO_SHA = /^0{40}(0{24})?$/;
export function readEvent(eventName, eventPath) {
    if (eventPath === undefined)
        return {};
    try {
        const parsed = JSON.parse(readFileSync(eventPath, 'utf8'));
        if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
            return parsed;
    }
    catch (error) {
        throw new InputProblem(`${eventName} event: cannot read GITHUB_EVENT_PATH ${eventPath} (${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)})`);
    }
    throw new InputProblem(`${eventName} event: GITHUB_EVENT_PATH ${eventPath} is not a JSON object`);
}
export function planFor(eventName, event) {
    switch (eventName) {
        case 'pull_request':
        case 'pull_request_target':
            return pullRequestPlan(eventName, event);
        case 'push':
            return pushPlan(event);
        case 'merge_group': {
            const group = object(event, 'merge_group', eventName);
            const base = sha(group, 'merge_group.base_sha', eventName);
            const head = sha(group, 'merge_group.head_sha', eventName);
            return base === head ? { kind: 'nothing', label: `merge group ${short(head)}: BASE == HEAD` } : { kind: 'range', base, head, label: `merge group ${short(base)}..${short(head)}`, firstDepth: 10 };
        }
        default:
            // schedule, workflow_dispatch, and anything else without a commit range: the whole history.
            return { kind: 'history', label: eventName === '' ? 'full history' : `${eventName}: full history` };
    }
}
function pullRequestPlan(eventName, event) {
    const pr = object(event, 'pull_request', eventName);
    const base = sha(object(pr, 'pull_request.base', eventName), 'pull_request.base.sha', eventName);
    const head = sha(object(pr, 'pull_request.head', eventName), 'pull_request.head.sha', eventName);
    const number = typeof pr['number'] === 'number' ? pr['number'] : typeof event['number'] === 'number' ? event['number'] : 0;
    const commits = typeof pr['commits'] === 'number' ? pr['commits'] : 0;
    const label = `pull request #${number}`;
    if (base === head)
        return { kind: 'nothing', label: `${label}: BASE == HEAD (${short(head)})` };
    // Head is depth 1, the PR's first commit depth `commits`, the merge base one more.
    return { kind: 'range', base, head, label, firstDepth: Math.max(2, commits + 1), pullRequest: { number, commits } };
}
function pushPlan(event) {
    const ref = typeof event['ref'] === 'string' ? event['ref'] : '';
    const after = sha(event, 'after', 'push');
    const before = sha(event, 'before', 'push');
    const defaultBranch = defaultBranchOf(event);
    const label = `push to ${ref.replace(/^refs\/heads\//, '') || '(unknown ref)'}`;
    // The payload lists the pushed commits (GitHub truncates long lists; deepening covers the rest).
    const firstDepth = Math.max(2, (Array.isArray(event['commits']) ? event['commits'].length : 0) + 1);
    if (event['deleted'] === true || ZERO_SHA.test(after))
        return { kind: 'nothing', label: `${label}: the ref was deleted` };
    if (before === after)
        return { kind: 'nothing', label: `${label}: BASE == HEAD (${short(after)})` };
    if (ZERO_SHA.test(before)) {
        // The first push of the default branch has no older branch to compare with: all of it is new.
        if (defaultBranch === undefined || ref === `refs/heads/${defaultBranch}`)
            return { kind: 'history', label: `${label}: new default branch, full history` };
        return { kind: 'new-branch', head: after, ref, defaultBranch, label: `${label}: new branch`, firstDepth: Math.max(firstDepth, 50) };
    }
    return {
        kind: 'range',
        base: before,
        head: after,
        label,
        firstDepth,
        ...(defaultBranch === undefined ? {} : { push: { ref, defaultBranch } }),
    };
}
function defaultBranchOf(event) {
    const repository = event['repository'];
    if (typeof repository !== 'object' || repository === null)
        return undefined;
    const branch = repository['default_branch'];
    return typeof branch === 'string' && branch !== '' ? branch : undefined;
}
/** `parent[last segment of path]` as an object; `path` (e.g. `pull_request.base`) names it in the error. */
function object(parent, path, eventName) {
    const value = parent[path.split('.').pop() ?? path];
    if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new InputProblem(`${eventName} event: the payload has no ${path} object`);
    return value;
}
function sha(parent, path, eventName) {
    const value = parent[path.split('.').pop() ?? path];
    if (typeof value !== 'string' || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value))
        throw new InputProblem(`${eventName} event: the payload has no commit id in ${path}`);
    return value;
}
export function short(oid) {
    return oid.slice(0, 7);
}
