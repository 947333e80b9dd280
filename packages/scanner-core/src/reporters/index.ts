import type { ReporterFactory } from './reporter.js';
import { HtmlReporter } from './html-reporter.js';
import { JsonReporter } from './json-reporter.js';
import { SarifReporter } from './sarif-reporter.js';
import { TextReporter } from './text-reporter.js';

export type { Reporter, ReporterFactory, ReporterOptions } from './reporter.js';
export { JsonReporter, findingToJson, groupToJson, locationToJson } from './json-reporter.js';
export { HtmlReporter } from './html-reporter.js';
export { FindingGrouper, type FindingGroup, type GroupingOptions } from './finding-groups.js';
export { SarifReporter } from './sarif-reporter.js';
export { TextReporter } from './text-reporter.js';

export const reporters = {
  text: (out, options) => new TextReporter(out, options),
  json: (out, options) => new JsonReporter(out, options),
  sarif: (out) => new SarifReporter(out),
  html: (out) => new HtmlReporter(out),
} satisfies Record<string, ReporterFactory>;

export type ReportFormat = keyof typeof reporters;
export const REPORT_FORMATS = Object.keys(reporters) as ReportFormat[];
