import { InputProblem } from './action-inputs.js';
import { short } from './event-plan.js';
import { HistoryFetcher, HistoryUnavailable } from './history-fetch.js';
/**
 * Turns an event's plan into a concrete scan, fetching whatever history a shallow checkout lacks. A range
 * starts at BASE when BASE is an ancestor of HEAD, else at their merge base (force-push, base moved on);
 * an empty range is "nothing to scan", not an error.
 */
export async function resolveGitScan(plan, git, log) {
    const fetcher = new HistoryFetcher(git, log);
    try {
        switch (plan.kind) {
            case 'nothing':
                return { kind: 'nothing', description: plan.label };
            case 'history':
                await fetcher.everything();
                return { kind: 'history', description: plan.label };
            case 'new-branch': {
                const tip = await fetcher.branchTip(plan.defaultBranch, plan.firstDepth);
                return await range(git, fetcher, { base: tip, head: plan.head, firstDepth: plan.firstDepth, label: `${plan.label}: commits not on ${plan.defaultBranch}` }, log);
            }
            case 'range':
                return await pushOrPullRange(plan, git, fetcher, log);
            default:
                return plan;
        }
    }
    catch (error) {
        if (!(error instanceof HistoryUnavailable))
            throw error;
        throw new InputProblem(`${plan.label}: ${error.message}. ${await fetchDepthAdvice(plan, git)}`);
    }
}
async function pushOrPullRange(plan, git, fetcher, log) {
    try {
        const why = plan.pullRequest !== undefined ? 'the base branch moved on' : plan.push !== undefined ? 'a force-push' : 'diverged';
        return await range(git, fetcher, { base: plan.base, head: plan.head, firstDepth: plan.firstDepth, label: plan.label, why }, log);
    }
    catch (error) {
        // A force-push can leave `before` unreachable everywhere: then the branch is judged like a new one.
        const lostBase = error instanceof HistoryUnavailable && error.unfetchable.includes(plan.base) && !error.unfetchable.includes(plan.head);
        if (!lostBase || plan.push === undefined)
            throw error;
        log(`${plan.label}: the previous tip ${short(plan.base)} cannot be fetched (force-push?); scanning the commits not on ${plan.push.defaultBranch} instead`);
        const tip = await fetcher.branchTip(plan.push.defaultBranch, Math.max(plan.firstDepth, 50));
        return await range(git, fetcher, { base: tip, head: plan.head, firstDepth: Math.max(plan.firstDepth, 50), label: `${plan.label}: commits not on ${plan.push.defaultBranch}` }, log);
    }
}
async function range(git, fetcher, request, log) {
    const { base, head, label } = request;
    const from = await fetcher.rangeStart(base, head, request.firstDepth);
    if (from === head)
        return { kind: 'nothing', description: `${label}: BASE == HEAD (${short(head)})` };
    if (from === undefined)
        log(`${label}: ${short(base)} and ${short(head)} share no history; scanning every commit of ${short(head)}`);
    else if (from !== base)
        log(`${label}: ${short(base)} is not an ancestor of ${short(head)} (${request.why ?? 'diverged'}); scanning from their merge base ${short(from)}`);
    const commits = (await git.revList(from, head)).length;
    if (commits === 0)
        return { kind: 'nothing', description: `${label}: no commits in ${short(from ?? base)}..${short(head)}` };
    const start = from ?? base;
    return { kind: 'range', range: `${start}..${head}`, commits, description: `${label}: ${commits} commit${commits === 1 ? '' : 's'} ${short(start)}..${short(head)}` };
}
/** The actions/checkout setting that makes fetching unnecessary, as exact as the payload allows. */
async function fetchDepthAdvice(plan, git) {
    const advice = 'Set `fetch-depth: 0` on actions/checkout to check out the complete history';
    if (plan.kind !== 'range' || plan.pullRequest === undefined || plan.pullRequest.commits === 0)
        return `${advice}.`;
    // The checkout is HEAD itself (depth 1), or the PR's merge commit whose parent is HEAD (depth 2).
    const n = plan.pullRequest.commits;
    const depth = n + ((await git.commit('HEAD')) === plan.head ? 1 : 2);
    return `${advice} (this pull request has ${n} commit${n === 1 ? '' : 's'}: \`fetch-depth: ${depth}\` is enough while its base branch has not moved on since the branch point).`;
}
