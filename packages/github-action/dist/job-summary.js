/** Beyond this many rows the summary points at the SARIF file (a step summary is capped at 1 MiB). */
export const SUMMARY_ROWS = 500;
/**
 * The job summary: a headline, what was scanned, and one table row per finding with the rule, a link to
 * the file and line at the commit that has it, the commit and its author. It never holds a secret: the
 * table is built from rule ids, paths, line numbers, commit ids and author names only.
 */
export function jobSummary(leaks, scanned, links, sarifFile) {
    const head = leaks.length === 0 ? '## leakguard: no leaks found\n\n' : `## leakguard: ${leaks.length} leak${leaks.length === 1 ? '' : 's'} found\n\n`;
    let text = `${head}Scanned: ${escapeMarkdown(scanned)}\n\n`;
    if (leaks.length === 0)
        return text;
    text += '| Rule | Location | Commit | Author |\n| --- | --- | --- | --- |\n';
    for (const leak of leaks.slice(0, SUMMARY_ROWS)) {
        text += `| ${rule(leak)} | ${location(leak, links)} | ${commit(leak, links)} | ${escapeMarkdown(leak.author ?? '')} |\n`;
    }
    if (leaks.length > SUMMARY_ROWS)
        text += `\n… and ${leaks.length - SUMMARY_ROWS} more in the SARIF file.\n`;
    text +=
        '\nSecret values are never shown. Revoke or rotate each credential at its provider first: removing it from ' +
            'the code (or rewriting history) does not un-leak it.';
    if (sarifFile !== undefined)
        text += ` Full report: \`${sarifFile.replace(/`/g, "'")}\` (SARIF).`;
    return `${text}\n`;
}
function rule(leak) {
    return `\`${leak.ruleId.replace(/`/g, "'")}\` ${escapeMarkdown(leak.description)}`;
}
function location(leak, links) {
    const place = leak.image === undefined ? `${leak.path}:${leak.line}` : `${leak.image} ${leak.path}:${leak.line}`;
    const at = leak.commit ?? (isWorkingTree(leak) ? links.sha : undefined);
    const deleted = leak.deletedIn === undefined ? '' : ` (removed in \`${leak.deletedIn.slice(0, 7)}\`, still in history)`;
    if (at === undefined || links.repository === undefined || leak.image !== undefined)
        return `${escapeMarkdown(place)}${deleted}`;
    return `[${escapeMarkdown(place)}](${blobUrl(links, at, leak.path, leak.line)})${deleted}`;
}
function commit(leak, links) {
    if (leak.commit === undefined)
        return '';
    const label = `\`${leak.commit.slice(0, 7)}\``;
    return links.repository === undefined ? label : `[${label}](${links.serverUrl}/${links.repository}/commit/${leak.commit})`;
}
function isWorkingTree(leak) {
    return leak.source === 'file';
}
export function blobUrl(links, commit, path, line) {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return `${links.serverUrl}/${links.repository ?? ''}/blob/${commit}/${encoded}#L${line}`;
}
/**
 * Backslash-escapes the Markdown punctuation that could format, link, or end a table cell (GFM allows a
 * backslash before any ASCII punctuation); newlines become spaces so a cell stays one line.
 */
export function escapeMarkdown(text) {
    return text.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>|~&]/g, (c) => `\\${c}`);
}
