export { SpanRedactor, spansOf, redactionMarker, type RedactionSpan } from './span-redactor.js';
export { StreamRedactor, type StreamRedactorOptions } from './stream-redactor.js';
export { redactStream } from './redact-stream.js';
export { writeBytes } from '../stream-write.js';
export { redactFileInPlace } from './redact-file.js';
export { RedactedCopy, type CopiedItem } from './redacted-copy.js';
export { redactionFindings } from './redaction-findings.js';
