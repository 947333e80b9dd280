import { annotation } from './workflow-commands.js';
/** GitHub shows a limited number of annotations per step; beyond this many, one line sums up the rest. */
export const MAX_ANNOTATIONS = 50;
/**
 * Workflow annotations for the findings: `::error` when leaks fail the step, `::warning` when
 * `fail-on-leak: false`. A finding in a repository file is anchored at its file, line and columns; one in
 * an image or a log has no file in the repository and is annotated without a location.
 */
export function leakAnnotations(leaks, level, sarifFile) {
    let text = '';
    for (const leak of leaks.slice(0, MAX_ANNOTATIONS)) {
        const inRepository = leak.source === 'file' || leak.source.startsWith('git-');
        const title = `leakguard: ${leak.ruleId}`;
        text += annotation(level, inRepository
            ? { file: leak.path, line: leak.line, endLine: leak.endLine, col: leak.column, ...(leak.endLine === leak.line ? { endColumn: leak.endColumn } : {}), title }
            : { title }, message(leak, inRepository));
    }
    if (leaks.length > MAX_ANNOTATIONS) {
        const rest = leaks.length - MAX_ANNOTATIONS;
        text += annotation(level, { title: 'leakguard' }, `${rest} more leak${rest === 1 ? '' : 's'} not annotated (${MAX_ANNOTATIONS} shown); every finding is in the job summary and in ${sarifFile}`);
    }
    return text;
}
function message(leak, inRepository) {
    const where = inRepository ? '' : ` in ${leak.image === undefined ? '' : `${leak.image} `}${leak.path}:${leak.line}`;
    const who = leak.commit === undefined ? '' : ` added in ${leak.commit.slice(0, 7)}${leak.author === undefined ? '' : ` by ${leak.author}`}`;
    const gone = leak.deletedIn === undefined ? '' : ` (removed in ${leak.deletedIn.slice(0, 7)}, still in history)`;
    return `${leak.description}${where}${who}${gone}. Revoke or rotate it at the provider, then remove it; the value is not shown.`;
}
