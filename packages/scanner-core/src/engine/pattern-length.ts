/**
 * The most bytes one match of an RE2 pattern can span, or Infinity when a `*`, `+` or `{n,}` makes it
 * unbounded (or the syntax is beyond this reader). Every character-matching atom counts as 4 bytes, the
 * longest UTF-8 sequence (a case-folded `k` may match the 3-byte Kelvin sign), so the bound is safe, not
 * tight. The engine uses it to run a rule only near the blocks where its keyword occurs.
 */
export function maxMatchBytes(pattern: string): number {
  const reader = new Reader(pattern);
  const length = reader.alternation();
  return reader.done() ? length : Number.POSITIVE_INFINITY;
}

const ATOM = 4;

class Reader {
  #at = 0;
  constructor(readonly text: string) {}

  done(): boolean {
    return this.#at >= this.text.length;
  }

  alternation(): number {
    let longest = this.sequence();
    while (this.text[this.#at] === '|') {
      this.#at++;
      longest = Math.max(longest, this.sequence());
    }
    return longest;
  }

  sequence(): number {
    let total = 0;
    while (!this.done() && this.text[this.#at] !== '|' && this.text[this.#at] !== ')') {
      const atom = this.atom();
      const times = this.quantifier();
      total += atom === 0 || times === 0 ? 0 : atom * times;
    }
    return total;
  }

  atom(): number {
    const c = this.text[this.#at] ?? '';
    if (c === '(') {
      this.#at++;
      if (this.text[this.#at] === '?') {
        const flags = /^\?[imsU-]*\)/.exec(this.text.slice(this.#at));
        if (flags !== null) {
          this.#at += flags[0].length;
          return 0;
        }
        const opener = /^\?(?:[imsU-]*:|P?<[A-Za-z_][A-Za-z0-9_]*>)/.exec(this.text.slice(this.#at));
        if (opener === null) return this.#fail();
        this.#at += opener[0].length;
      }
      const inner = this.alternation();
      if (this.text[this.#at] !== ')') return this.#fail();
      this.#at++;
      return inner;
    }
    if (c === '[') return this.#charClass();
    if (c === '^' || c === '$') {
      this.#at++;
      return 0;
    }
    if (c === '\\') return this.#escape();
    if (c === '*' || c === '+' || c === '?' || c === '{') return this.#fail();
    this.#at++;
    return ATOM;
  }

  /** Multiplier for the atom just read: 1, n for `{m,n}`, Infinity for unbounded. */
  quantifier(): number {
    const c = this.text[this.#at];
    let times = 1;
    if (c === '*' || c === '+') {
      this.#at++;
      times = Number.POSITIVE_INFINITY;
    } else if (c === '?') {
      this.#at++;
    } else if (c === '{') {
      const counted = /^\{(\d+)(,(\d*))?\}/.exec(this.text.slice(this.#at));
      if (counted === null) return 1; // a literal `{`: RE2 accepts it, counted as the next atom
      this.#at += counted[0].length;
      if (counted[2] === undefined) times = Number(counted[1]);
      else times = counted[3] === '' ? Number.POSITIVE_INFINITY : Number(counted[3]);
    } else return 1;
    if (this.text[this.#at] === '?') this.#at++; // lazy
    return times;
  }

  #escape(): number {
    const next = this.text[this.#at + 1] ?? '';
    if ('bBAz'.includes(next)) {
      this.#at += 2;
      return 0;
    }
    if (next === 'Q') return this.#fail();
    const special = /^\\(?:x\{[0-9A-Fa-f]+\}|x[0-9A-Fa-f]{2}|[pP]\{[^}]+\}|[pP][A-Za-z]|[0-7]{1,3}|.)/su.exec(this.text.slice(this.#at));
    if (special === null) return this.#fail();
    this.#at += special[0].length;
    return ATOM;
  }

  #charClass(): number {
    let i = this.#at + 1;
    if (this.text[i] === '^') i++;
    if (this.text[i] === ']') i++;
    while (i < this.text.length && this.text[i] !== ']') {
      if (this.text[i] === '\\') i += 2;
      else if (this.text.startsWith('[:', i)) {
        const close = this.text.indexOf(':]', i + 2);
        if (close < 0) return this.#fail();
        i = close + 2;
      } else i++;
    }
    if (i >= this.text.length) return this.#fail();
    this.#at = i + 1;
    return ATOM;
  }

  #fail(): number {
    this.#at = this.text.length + 1;
    return Number.POSITIVE_INFINITY;
  }
}
