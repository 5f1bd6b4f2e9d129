import { TomlDate } from 'smol-toml';
import { parseLevel } from '../catalogue/levels.js';
import type { LevelSetting } from '../catalogue/types.js';
import { formatDuration, parseDuration } from './duration.js';
import type { FlatEntry } from './flat-toml.js';
import { mask } from './mask.js';
import { displayKey } from './toml-lines.js';
import type { ConfigIssue, KeyPlace } from './types.js';

export type Path = readonly string[];

/** A position to blame when a key is missing: the key that introduced the object. */
export interface Anchor {
  line: number;
  col: number;
}

/** Blames a missing key `path` on the position of `anchor`. */
export function anchorKey(anchor: Anchor, path: Path): Anchor & { key: string } {
  return { line: anchor.line, col: anchor.col, key: displayKey(path) };
}

const idOf = (path: Path) => path.join('\u0000');

/** Keys whose values are credentials: never echoed in messages. */
export function isSecretPath(path: Path): boolean {
  const last = path[path.length - 1];
  return last === 'signature-key' || (path[path.length - 2] === 'auth' && (last === 'secret' || last === 'token'));
}

/** A value as messages show it: `"weekly"`, `12`, `an array`; secrets masked. */
export function describe(value: unknown, secret = false): string {
  if (typeof value === 'string') return JSON.stringify(secret ? mask(value) : value);
  if (secret) return '****';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof TomlDate) return `the date ${value.toISOString()}`;
  if (Array.isArray(value)) return 'an array';
  return 'a table';
}

/**
 * Typed access to the flat key space. Every getter records an error (with the key's file, line
 * and column) when a value is malformed and returns the default, so all problems are collected
 * in one pass. Keys read are marked used; the rest become unknown-key warnings.
 */
export class Reader {
  readonly issues: ConfigIssue[] = [];
  private readonly byId = new Map<string, FlatEntry>();
  private readonly used = new Set<FlatEntry>();

  constructor(
    readonly file: string,
    readonly entries: readonly FlatEntry[],
  ) {
    for (const e of entries) this.byId.set(idOf(e.path), e);
  }

  has(path: Path): boolean {
    return this.byId.has(idOf(path));
  }

  get(path: Path): FlatEntry | undefined {
    const e = this.byId.get(idOf(path));
    if (e) this.used.add(e);
    return e;
  }

  place(e: FlatEntry): KeyPlace {
    return { file: this.file, line: e.line, col: e.col, key: e.key };
  }

  /** Entries whose path starts with `prefix`, in file order. */
  under(prefix: Path): FlatEntry[] {
    return this.entries.filter((e) => e.path.length > prefix.length && prefix.every((s, i) => e.path[i] === s));
  }

  /** Distinct next segments under `prefix`, in order of first appearance: ids(['tracer']). */
  ids(prefix: Path): string[] {
    return [...new Set(this.under(prefix).map((e) => e.path[prefix.length]!))];
  }

  /**
   * The ids under `root` that have the `marker` key (a tracer has `type`, a webhook `url`). An id
   * without it gets one warning, `<root>.<id> has no <marker> key: not a <what>; ignored`, and
   * its keys are marked read.
   */
  idsWith(root: string, marker: string, what: string): string[] {
    return this.ids([root]).filter((id) => {
      const base = [root, id];
      if (this.has([...base, marker])) return true;
      const first = this.under(base)[0];
      if (first) this.warn(first, `${displayKey(base)} has no ${marker} key: not a ${what}; ignored`);
      this.consume(base);
      return false;
    });
  }

  consume(prefix: Path): void {
    for (const e of this.under(prefix)) this.used.add(e);
  }

  unused(): FlatEntry[] {
    return this.entries.filter((e) => !this.used.has(e));
  }

  /** Warns `not a <what> key; ignored` for every key under `base` not read yet, then marks them read. */
  warnUnread(base: Path, what: string): void {
    for (const e of this.under(base)) {
      if (!this.used.has(e)) this.warn(e, `not a ${what} key; ignored`);
    }
    this.consume(base);
  }

  issue(severity: 'error' | 'warning', where: FlatEntry | (Anchor & { key: string }), message: string): void {
    this.issues.push({ file: this.file, line: where.line, col: where.col, key: where.key, severity, message });
  }

  error(where: FlatEntry | (Anchor & { key: string }), message: string): void {
    this.issue('error', where, message);
  }

  warn(where: FlatEntry | (Anchor & { key: string }), message: string): void {
    this.issue('warning', where, message);
  }

  /** An error for a missing key, placed at `anchor`. */
  missing(anchor: Anchor, path: Path, what: string, severity: 'error' | 'warning' = 'error'): void {
    this.issue(severity, { ...anchor, key: displayKey(path) }, what);
  }

  private expected(e: FlatEntry, what: string): void {
    this.error(e, `expected ${what}; got ${describe(e.value, isSecretPath(e.path))}`);
  }

  string(path: Path): string | undefined {
    const e = this.get(path);
    if (!e) return undefined;
    if (typeof e.value === 'string') return e.value;
    this.expected(e, 'a string');
    return undefined;
  }

  /** true/false, also as the strings "true"/"false" (Stalwart stores every value as text). */
  bool(path: Path, def: boolean): boolean {
    const e = this.get(path);
    if (!e) return def;
    if (typeof e.value === 'boolean') return e.value;
    if (e.value === 'true' || e.value === 'false') return e.value === 'true';
    this.expected(e, 'true or false');
    return def;
  }

  /**
   * A duration in ms. `positive`: 0 is refused as Stalwart refuses it (its duration parser
   * takes only values above 0): a warning on the line, and the default is used.
   */
  duration(path: Path, def: number, opts: { positive?: boolean } = {}): number {
    const e = this.get(path);
    if (!e) return def;
    const ms = parseDuration(e.value);
    if (ms === undefined) {
      this.expected(e, 'a duration such as "500ms", "1s", "5m", "1h", "1d" or an integer of milliseconds');
      return def;
    }
    if (opts.positive && ms === 0) {
      this.warn(e, `0 is refused, as Stalwart refuses a zero duration; the default ${formatDuration(def)} is used`);
      return def;
    }
    return ms;
  }

  /** A number (integer when `integer`), from a TOML number or a numeric string. */
  number(path: Path, def: number, opts: { integer?: boolean; min?: number; above?: number; max?: number } = {}): number {
    const e = this.get(path);
    if (!e) return def;
    const n = typeof e.value === 'number' ? e.value : typeof e.value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(e.value) ? Number(e.value) : NaN;
    const ok =
      Number.isFinite(n) &&
      (!opts.integer || Number.isSafeInteger(n)) &&
      (opts.min === undefined || n >= opts.min) &&
      (opts.above === undefined || n > opts.above) &&
      (opts.max === undefined || n <= opts.max);
    if (ok) return n;
    const bounds = [
      opts.min !== undefined ? `at least ${opts.min}` : '',
      opts.above !== undefined ? `above ${opts.above}` : '',
      opts.max !== undefined ? `at most ${opts.max}` : '',
    ].filter(Boolean);
    this.expected(e, `${opts.integer ? 'an integer' : 'a number'}${bounds.length ? ' ' + bounds.join(' and ') : ''}`);
    return def;
  }

  /** One of `choices` (case-insensitive); `aliases` map extra spellings. Undefined when absent or bad. */
  choice<T extends string>(path: Path, choices: readonly T[], aliases: Record<string, T> = {}): T | undefined {
    const e = this.get(path);
    if (!e) return undefined;
    const text = typeof e.value === 'string' ? e.value.trim().toLowerCase() : undefined;
    const hit = text === undefined ? undefined : (choices.find((c) => c === text) ?? aliases[text]);
    if (hit) return hit;
    this.expected(e, `one of ${[...choices, ...Object.keys(aliases)].join(', ')}`);
    return undefined;
  }

  /** A list of strings; a single string counts as a one-item list (as in Stalwart). */
  strings(path: Path): string[] | undefined {
    const e = this.get(path);
    if (!e) return undefined;
    if (typeof e.value === 'string') return [e.value];
    if (Array.isArray(e.value) && e.value.every((v) => typeof v === 'string')) return e.value as string[];
    this.expected(e, 'a list of strings');
    return undefined;
  }

  level(path: Path, def: LevelSetting): LevelSetting {
    const e = this.get(path);
    if (!e) return def;
    const l = typeof e.value === 'string' ? parseLevel(e.value) : undefined;
    if (l) return l;
    this.expected(e, 'one of trace, debug, info, warn, error, disable');
    return def;
  }
}
