/**
 * Hand-made tar headers for inputs tar-stream refuses to write: sizes above the 8 GiB octal limit
 * (GNU base-256) declared for members whose bytes never come.
 */
export function tarHeader(name: string, size: bigint, type: '0' | '1' | '2' | '5' = '0', linkname = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 'ascii');
  header.write('0000000\0', 108, 'ascii');
  header.write('0000000\0', 116, 'ascii');
  writeSize(header, size);
  header.write('14000000000\0', 136, 'ascii');
  header.write('        ', 148, 'ascii'); // checksum field counts as spaces while summing
  header.write(type, 156, 'ascii');
  header.write(linkname, 157, 100, 'utf8');
  header.write('ustar\0', 257, 'ascii');
  header.write('00', 263, 'ascii');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return header;
}

/** Octal when it fits in 11 digits, else base-256: a 0x80 marker byte, then the size big-endian. */
function writeSize(header: Buffer, size: bigint): void {
  if (size < 8n ** 11n) {
    header.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
    return;
  }
  header[124] = 0x80;
  let rest = size;
  for (let i = 135; i > 124; i--) {
    header[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** A member's data padded to the 512-byte block. */
export function tarData(data: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil(data.length / 512) * 512);
  data.copy(padded);
  return padded;
}

/** The two zero blocks that end a tar. */
export const TAR_END = Buffer.alloc(1024);
