import { describe, expect, it } from 'vitest';
import { parseLogTimestamp } from './log-timestamp.js';

describe('parseLogTimestamp', () => {
  it.each([
    ['2024-03-01T10:00:00Z INFO x', '2024-03-01T10:00:00Z'],
    ['2024-03-01 10:00:00,123 WARN x', '2024-03-01 10:00:00,123'],
    ['2024-03-01T10:00:00.123456+05:30 x', '2024-03-01T10:00:00.123456+05:30'],
    ['[2024-03-01T10:00:00Z] x', '2024-03-01T10:00:00Z'],
    ['<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 - x', '2003-10-11T22:14:15.003Z'],
    ['Oct  3 13:55:36 host sshd[12]: x', 'Oct  3 13:55:36'],
    ['<13>Feb 14 01:02:03 host app: x', 'Feb 14 01:02:03'],
    ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.0" 200', '10/Oct/2000:13:55:36 -0700'],
    ['[10/Oct/2000:13:55:36 +0000] x', '10/Oct/2000:13:55:36 +0000'],
    ['INFO 2024-03-01T10:00:00Z not at the start', undefined],
    ['Octopus  3 13:55:36', undefined],
    ['', undefined],
  ])('%j → %j', (line, expected) => {
    expect(parseLogTimestamp(Buffer.from(`${line}\nnext line`), 0)).toBe(expected);
  });

  it('reads the line that starts at the given offset, binary-safe', () => {
    const data = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0x0a]), Buffer.from('2024-01-02T03:04:05Z x\n')]);
    expect(parseLogTimestamp(data, 4)).toBe('2024-01-02T03:04:05Z');
    expect(parseLogTimestamp(data, 0)).toBeUndefined();
  });
});
