import { inspect } from 'node:util';

const MASK = '[secret]';

/**
 * A raw secret value. Every way a value normally leaks out of an object (string conversion, JSON,
 * util.inspect, template literals, console.log) yields a mask; only `reveal()` returns the bytes.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The raw value. Only the engine, fingerprinting and redaction may call this. */
  reveal(): string {
    return this.#value;
  }

  get length(): number {
    return this.#value.length;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [Symbol.toPrimitive](): string {
    return MASK;
  }

  [inspect.custom](): string {
    return `Secret(${MASK})`;
  }
}
