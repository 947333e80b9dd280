import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

/**
 * The `yaml` library, loaded on first use. Parsing YAML is needed only when a config file, a user rule
 * file or a rule-library cache miss is read; loading the library eagerly cost every start-up ~50 ms,
 * a fifth of a pre-commit hook's budget.
 */
const require = createRequire(import.meta.url);
let library: typeof Yaml | undefined;

function yaml(): typeof Yaml {
  library ??= require('yaml') as typeof Yaml;
  return library;
}

export function isMap(node: unknown): node is Yaml.YAMLMap {
  return yaml().isMap(node);
}

export function isSeq(node: unknown): node is Yaml.YAMLSeq {
  return yaml().isSeq(node);
}

export function isScalar(node: unknown): node is Yaml.Scalar {
  return yaml().isScalar(node);
}

export function newLineCounter(): Yaml.LineCounter {
  return new (yaml().LineCounter)();
}

export function parseDocument(text: string, options: Yaml.ParseOptions & Yaml.DocumentOptions & Yaml.SchemaOptions): Yaml.Document.Parsed {
  return yaml().parseDocument(text, options);
}

export function stringify(value: unknown, options: Yaml.ToStringOptions & Yaml.DocumentOptions & Yaml.SchemaOptions & Yaml.CreateNodeOptions): string {
  return yaml().stringify(value, options);
}
