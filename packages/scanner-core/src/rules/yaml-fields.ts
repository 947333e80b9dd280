import type { LineCounter, YAMLMap } from 'yaml';
import { isMap, isScalar } from '../yaml-lazy.js';

/** Reads typed fields out of a YAML map while collecting errors that name file, line, rule and field. */
export class FieldReader {
  readonly #map: YAMLMap;
  readonly #where: string;
  readonly #lines: LineCounter;
  readonly #problems: string[];

  constructor(map: YAMLMap, where: string, lines: LineCounter, problems: string[]) {
    this.#map = map;
    this.#where = where;
    this.#lines = lines;
    this.#problems = problems;
  }

  /** `file:line` of a key (or of the map when the key is absent). */
  lineOf(key?: string): number {
    const pair = key === undefined ? undefined : this.#map.items.find((p) => isScalar(p.key) && p.key.value === key);
    const node = pair?.key ?? this.#map;
    const start = (node as { range?: [number, number, number] }).range?.[0] ?? 0;
    return this.#lines.linePos(start).line;
  }

  problem(key: string | undefined, message: string): void {
    this.#problems.push(`${this.#where}:${this.lineOf(key)}: ${key === undefined ? '' : `${key}: `}${message}`);
  }

  keys(): string[] {
    return this.#map.items.map((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)));
  }

  has(key: string): boolean {
    return this.#map.has(key);
  }

  raw(key: string): unknown {
    const value = this.#map.get(key, false);
    return isMap(value) ? value.toJSON() : (value as unknown);
  }

  string(key: string, required: boolean): string | undefined {
    const value = this.#map.toJSON()[key] as unknown;
    if (value === undefined || value === null) {
      if (required) this.problem(key, 'is required');
      return undefined;
    }
    if (typeof value !== 'string' || value.length === 0) {
      this.problem(key, 'must be a non-empty string');
      return undefined;
    }
    return value;
  }

  number(key: string, min: number, max: number): number | undefined {
    const value = this.#map.toJSON()[key] as unknown;
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      this.problem(key, `must be a number from ${min} to ${max}`);
      return undefined;
    }
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.#map.toJSON()[key] as unknown;
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') {
      this.problem(key, 'must be true or false');
      return undefined;
    }
    return value;
  }

  strings(key: string, required: boolean): string[] | undefined {
    const value = this.#map.toJSON()[key] as unknown;
    if (value === undefined || value === null) {
      if (required) this.problem(key, 'is required');
      return undefined;
    }
    if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string' && v.length > 0)) {
      this.problem(key, 'must be a list of non-empty strings');
      return undefined;
    }
    return value;
  }
}
