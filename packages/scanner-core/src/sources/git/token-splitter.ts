/**
 * Splits a byte stream into tokens terminated by one separator byte (NUL for `-z` output, newline for line
 * output) across arbitrary piece boundaries. Tokens are views of the pieces when they lie inside one, and
 * copied only when they span pieces. A final unterminated token is returned by `end()`.
 */
export class TokenSplitter {
  readonly #separator: number;
  #carry: Buffer[] = [];

  constructor(separator: number) {
    this.#separator = separator;
  }

  push(piece: Buffer): Buffer[] {
    const tokens: Buffer[] = [];
    let at = 0;
    for (let end = piece.indexOf(this.#separator, at); end !== -1; end = piece.indexOf(this.#separator, at)) {
      const part = piece.subarray(at, end);
      if (this.#carry.length > 0) {
        tokens.push(Buffer.concat([...this.#carry, part]));
        this.#carry = [];
      } else {
        tokens.push(part);
      }
      at = end + 1;
    }
    if (at < piece.length) this.#carry.push(piece.subarray(at));
    return tokens;
  }

  end(): Buffer[] {
    if (this.#carry.length === 0) return [];
    const last = Buffer.concat(this.#carry);
    this.#carry = [];
    return [last];
  }
}
