import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from './job-summary.js';
import { annotation, escapeData, escapeProperty, parseOutputs, writeOutputs } from './workflow-commands.js';

describe('workflow commands', () => {
  it.each([
    ['100%', '100%25', '100%25'],
    ['a\r\nb', 'a%0D%0Ab', 'a%0D%0Ab'],
    ['a:b,c', 'a:b,c', 'a%3Ab%2Cc'],
    ['%0A', '%250A', '%250A'],
  ])('escapes %j as data %j and as a property %j', (text, data, property) => {
    expect(escapeData(text)).toBe(data);
    expect(escapeProperty(text)).toBe(property);
  });

  it('writes properties in order, leaving out missing ones, on one line', () => {
    expect(annotation('error', { file: 'a,b.env', line: 3, col: 5, title: 'leakguard: x' }, 'two\nlines')).toBe('::error file=a%2Cb.env,line=3,col=5,title=leakguard%3A x::two%0Alines\n');
    expect(annotation('warning', {}, 'plain')).toBe('::warning::plain\n');
  });

  it('writes outputs the runner reads back, using a heredoc for multi-line values', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'leakguard-out-')), 'output');
    writeOutputs(file, { leaks: '3', 'sarif-file': '/w/leakguard.sarif' });
    writeOutputs(file, { note: 'line 1\nline 2\nleaks=99' });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^leaks=3\nsarif-file=\/w\/leakguard\.sarif\nnote<<ghadelimiter_[0-9a-f-]+\n/);
    expect(parseOutputs(text)).toEqual({ leaks: '3', 'sarif-file': '/w/leakguard.sarif', note: 'line 1\nline 2\nleaks=99' });
  });

  it('keeps a Markdown table cell one line and inert', () => {
    expect(escapeMarkdown('a|b\n[x](http://e) <img> *y* `z`')).toBe('a\\|b \\[x\\](http://e) \\<img\\> \\*y\\* \\`z\\`');
  });
});
