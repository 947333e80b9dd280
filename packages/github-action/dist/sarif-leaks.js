import { pathToFileURL } from 'node:url';
/** The findings of a leakguard SARIF log (the CLI's own output, so its shape is known; anything odd defaults). */
export function leaksFromSarif(text) {
    const log = JSON.parse(text);
    return (log.runs ?? []).flatMap((run) => {
        const descriptions = new Map((run.tool?.driver?.rules ?? []).map((r) => [r.id ?? '', r.shortDescription?.text ?? '']));
        return (run.results ?? []).map((result) => leak(result, descriptions));
    });
}
function leak(result, descriptions) {
    const location = result.locations?.[0]?.physicalLocation;
    const region = location?.region;
    const props = result.properties ?? {};
    const ruleId = result.ruleId ?? 'unknown';
    const line = region?.startLine ?? 1;
    const column = region?.startColumn ?? 1;
    return {
        ruleId,
        description: descriptions.get(ruleId) || ruleId,
        path: decodeUri(location?.artifactLocation?.uri ?? ''),
        line,
        column,
        endLine: region?.endLine ?? line,
        endColumn: region?.endColumn ?? column,
        source: text(props['source']) ?? 'file',
        ...field('commit', text(props['commit'])),
        ...field('author', text(props['author'])),
        ...field('deletedIn', text(props['deletedIn'])),
        ...field('image', text(props['image'])),
    };
}
function decodeUri(uri) {
    try {
        return decodeURIComponent(uri);
    }
    catch {
        return uri;
    }
}
function text(value) {
    return typeof value === 'string' && value !== '' ? value : undefined;
}
function field(key, value) {
    return (value === undefined ? {} : { [key]: value });
}
/** A valid SARIF log with no results, for "nothing to scan" (so upload-sarif has a file and closes nothing wrongly). */
export function emptySarif(version, root) {
    const log = {
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [
            {
                tool: { driver: { name: 'leakguard', version, semanticVersion: version, informationUri: 'https://github.com/leakguard/leakguard', rules: [] } },
                originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(root.endsWith('/') ? root : `${root}/`).href } },
                columnKind: 'unicodeCodePoints',
                results: [],
                invocations: [{ executionSuccessful: true, properties: { nothingToScan: true } }],
            },
        ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
}
