import type { ReporterFactory } from './reporter.js';
import { JsonReporter } from './json-reporter.js';
import { SarifReporter } from './sarif-reporter.js';
import { TextReporter } from './text-reporter.js';

export type { Reporter, ReporterFactory, ReporterOptions } from './reporter.js';
export { JsonReporter, findingToJson } from './json-reporter.js';
export { SarifReporter } from './sarif-reporter.js';
export { TextReporter } from './text-reporter.js';

export const reporters = {
  text: (out, options) => new TextReporter(out, options),
  json: (out) => new JsonReporter(out),
  sarif: (out) => new SarifReporter(out),
} satisfies Record<string, ReporterFactory>;

export type ReportFormat = keyof typeof reporters;
export const REPORT_FORMATS = Object.keys(reporters) as ReportFormat[];
