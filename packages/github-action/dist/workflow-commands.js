import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
/**
 * GitHub Actions workflow commands (`::error file=…::message`) and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY
 * files. Escaping follows the runner's rules: in the message, `%`, CR and LF; in property values, also `:`
 * and `,` (which would otherwise end the value or the property list).
 */
export function escapeData(text) {
    return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
export function escapeProperty(text) {
    return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** One `::error …::…` line (with its newline). Properties are written in a fixed order, empty ones left out. */
export function annotation(level, properties, message) {
    const props = ['file', 'line', 'endLine', 'col', 'endColumn', 'title']
        .filter((key) => properties[key] !== undefined && properties[key] !== '')
        .map((key) => `${key}=${escapeProperty(String(properties[key]))}`)
        .join(',');
    return `::${level}${props === '' ? '' : ` ${props}`}::${escapeData(message)}\n`;
}
/**
 * Appends step outputs to the GITHUB_OUTPUT file: `name=value`, or the heredoc form with a random delimiter
 * when a value spans lines (so no value can inject another output).
 */
export function writeOutputs(file, outputs) {
    let text = '';
    for (const [name, value] of Object.entries(outputs)) {
        if (!/[\r\n]/.test(value)) {
            text += `${name}=${value}\n`;
        }
        else {
            const delimiter = `ghadelimiter_${randomUUID()}`;
            text += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
        }
    }
    appendFileSync(file, text);
}
/** Reads a GITHUB_OUTPUT file back (both forms), as the runner does. */
export function parseOutputs(text) {
    const out = {};
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i] ?? '';
        const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
        if (heredoc !== null) {
            const end = lines.indexOf(heredoc[2] ?? '', i + 1);
            out[heredoc[1] ?? ''] = lines.slice(i + 1, end).join('\n');
            i = end;
        }
        else if (line.includes('=')) {
            out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
        }
    }
    return out;
}
