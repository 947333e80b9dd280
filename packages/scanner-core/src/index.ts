export { Secret } from './secret.js';
export type { Origin, OriginKind } from './origin.js';
export { type Chunk, wholeChunk } from './chunk.js';
export { type Finding, type Location, severityOf } from './finding.js';
export type { ScanSummary, RunInfo, BaselineSummary } from './summary.js';
export { ScanError, ConfigError, InputError, OutputError, UsageError } from './errors.js';
export { Engine, type EngineOptions } from './engine/engine.js';
export { compileRule, compileRules, compileRegex, type CompiledRule } from './engine/compiled-rule.js';
export { shannonEntropy } from './engine/entropy.js';
export { KeywordPrefilter } from './engine/keyword-prefilter.js';
export type { RuleDefinition, RuleInfo, Severity, NegativeExample } from './rules/rule.js';
export { SEVERITIES, ruleInfo } from './rules/rule.js';
export { parseRuleFile } from './rules/rule-schema.js';
export { loadRuleDir, loadRuleFile, defaultRulesDir } from './rules/rule-loader.js';
export { CHECKSUMS, githubStyleToken } from './rules/checksums.js';
export { Fingerprinter, DEFAULT_FINGERPRINT_KEY } from './fingerprint.js';
export { redactedPreview } from './redacted-preview.js';
export type { FindingFilter, FindingContext, FilterSummary } from './filters/finding-filter.js';
export { AllowFilter } from './filters/allow-filter.js';
export { InlineIgnoreFilter } from './filters/inline-ignore-filter.js';
export { PathAllowFilter } from './filters/path-allow-filter.js';
export {
  type LeakguardConfig,
  type AllowConfig,
  type RuleOverride,
  type DecodeConfig,
  DEFAULT_CONFIG,
  DEFAULT_DECODE,
} from './config/config.js';
export { printConfig } from './config/config-print.js';
export * from './baseline/index.js';
export { Decoder, type DecodedLayer, type DecodeStats } from './decoding/decoded-layers.js';
export { loadConfig, parseConfig, findConfig, CONFIG_FILE_NAMES } from './config/config-loader.js';
export { createScanner, selectRules, type Scanner, type ScannerOptions } from './scanner.js';
export { scan, type ScanOptions, type ScanProgress } from './scan.js';
export { parseReport, mergeJson, mergeSarif, type ParsedReport, type JsonReport } from './merge/report-merge.js';
export * from './redact/index.js';
export { InlineMatcher, WorkerPoolMatcher, type ChunkMatcher } from './engine/worker-pool.js';
export { prestartWorkers, discardSpareWorkers } from './engine/matching-workers.js';
export type { WorkerSpec } from './engine/worker-protocol.js';
