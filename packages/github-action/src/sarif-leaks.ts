import { pathToFileURL } from 'node:url';

/** One finding as the action reports it: where and what kind, never the secret. */
export interface Leak {
  readonly ruleId: string;
  readonly description: string;
  /** Repository-relative path (decoded from the SARIF URI), or the path inside an image or log archive. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** `file`, `git-diff`, `git-blob`, `image-layer`, … (the scanner's origin kind). */
  readonly source: string;
  readonly commit?: string;
  readonly author?: string;
  /** A later commit that removed the secret from the branch (it is still in history). */
  readonly deletedIn?: string;
  readonly image?: string;
}

interface SarifLog {
  readonly runs?: readonly SarifRun[];
}
interface SarifRun {
  readonly tool?: { readonly driver?: { readonly rules?: readonly { readonly id?: string; readonly shortDescription?: { readonly text?: string } }[] } };
  readonly results?: readonly SarifResult[];
}
interface SarifResult {
  readonly ruleId?: string;
  readonly locations?: readonly {
    readonly physicalLocation?: {
      readonly artifactLocation?: { readonly uri?: string };
      readonly region?: { readonly startLine?: number; readonly startColumn?: number; readonly endLine?: number; readonly endColumn?: number };
    };
  }[];
  readonly properties?: Readonly<Record<string, unknown>>;
}

/** The findings of a leakguard SARIF log (the CLI's own output, so its shape is known; anything odd defaults). */
export function leaksFromSarif(text: string): Leak[] {
  const log = JSON.parse(text) as SarifLog;
  return (log.runs ?? []).flatMap((run) => {
    const descriptions = new Map((run.tool?.driver?.rules ?? []).map((r) => [r.id ?? '', r.shortDescription?.text ?? '']));
    return (run.results ?? []).map((result) => leak(result, descriptions));
  });
}

function leak(result: SarifResult, descriptions: ReadonlyMap<string, string>): Leak {
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

function decodeUri(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function field<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** A valid SARIF log with no results, for "nothing to scan" (so upload-sarif has a file and closes nothing wrongly). */
export function emptySarif(version: string, root: string): string {
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
