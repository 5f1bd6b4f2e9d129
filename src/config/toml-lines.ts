/**
 * A small TOML scanner that finds every key with its line and column, and the raw text of its
 * value. It reads Stalwart's flat key space: `[a.b]` headers, dotted keys, quoted keys and
 * inline tables all become full key paths. Values are decoded by smol-toml (see flat-toml.ts);
 * this file only finds where keys and values are.
 */
import { parse } from 'smol-toml';

export interface ScannedKey {
  /** Full key path, table prefix included: `[tracer.log]` + `path` → ['tracer', 'log', 'path']. */
  path: string[];
  line: number;
  col: number;
  /** Raw value text (trimmed), for smol-toml. An inline table yields one key per member. */
  raw: string;
  /** Offset of the value text in the document. */
  valueAt: number;
  /** Under a `[[...]]` header (not part of mailtel's key space). */
  inArrayTable: boolean;
}

export interface ScannedTable {
  path: string[];
  line: number;
  col: number;
  array: boolean;
}

export interface ScanProblem {
  line: number;
  col: number;
  message: string;
}

export interface ScanResult {
  keys: ScannedKey[];
  tables: ScannedTable[];
  problems: ScanProblem[];
}

const BARE = /[A-Za-z0-9_-]/;

class ScanStop extends Error {}

/** Maps document offsets to 1-based line and column. */
export function lineIndex(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  };
}

/** `tracer.log.rotate`; segments that are not bare keys are quoted: `tracing.level."auth.success"`. */
export function displayKey(path: readonly string[]): string {
  return path.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s))).join('.');
}

export function scanToml(text: string): ScanResult {
  const at = lineIndex(text);
  const keys: ScannedKey[] = [];
  const tables: ScannedTable[] = [];
  const problems: ScanProblem[] = [];
  let pos = 0;
  let prefix: string[] = [];
  let inArrayTable = false;

  const fail = (offset: number, message: string): never => {
    problems.push({ ...at(offset), message });
    throw new ScanStop();
  };
  const skipSpaces = () => {
    while (text[pos] === ' ' || text[pos] === '\t') pos++;
  };
  const skipComment = () => {
    if (text[pos] === '#') while (pos < text.length && text[pos] !== '\n') pos++;
  };
  const endOfLine = () => {
    skipSpaces();
    skipComment();
    if (pos >= text.length) return;
    if (text[pos] === '\r' && text[pos + 1] === '\n') pos += 2;
    else if (text[pos] === '\n') pos++;
    else fail(pos, `expected the end of the line, found "${text[pos]}"`);
  };

  const quoted = (): string => {
    const q = text[pos]!;
    const start = pos++;
    while (pos < text.length && text[pos] !== q && text[pos] !== '\n') {
      if (q === '"' && text[pos] === '\\') pos++;
      pos++;
    }
    if (text[pos] !== q) fail(start, 'unfinished quoted key');
    pos++;
    if (q === "'") return text.slice(start + 1, pos - 1);
    try {
      return (parse(`k = ${text.slice(start, pos)}`) as { k: string }).k; // TOML's own escapes
    } catch {
      return fail(start, 'invalid escape in quoted key');
    }
  };

  const dottedKey = (): string[] => {
    const path: string[] = [];
    for (;;) {
      skipSpaces();
      const c = text[pos];
      if (c === '"' || c === "'") path.push(quoted());
      else {
        const start = pos;
        while (pos < text.length && BARE.test(text[pos]!)) pos++;
        if (pos === start) fail(pos, c === undefined || c === '\n' || c === '\r' ? 'expected a key' : `invalid character "${c}" in key`);
        path.push(text.slice(start, pos));
      }
      skipSpaces();
      if (text[pos] !== '.') return path;
      pos++;
    }
  };

  /** Skips a string value starting at `pos` (any of the four TOML string forms). */
  const skipString = () => {
    const q = text[pos]!;
    const start = pos;
    const triple = text.startsWith(q.repeat(3), pos);
    pos += triple ? 3 : 1;
    while (pos < text.length) {
      const c = text[pos]!;
      if (q === '"' && c === '\\') {
        pos += 2;
        continue;
      }
      if (!triple && c === '\n') break;
      if (c === q && (!triple || text.startsWith(q.repeat(3), pos))) {
        pos += triple ? 3 : 1;
        while (triple && text[pos] === q) pos++; // up to two quotes may close a multi-line string
        return;
      }
      pos++;
    }
    fail(start, 'unfinished string');
  };

  /** Finds the end of a non-table value: the line end, a comment, or (inline) `,` / `}`. */
  const skipValue = (inline: boolean) => {
    let depth = 0;
    while (pos < text.length) {
      const c = text[pos]!;
      if (c === '"' || c === "'") {
        skipString();
        continue;
      }
      if (c === '#') {
        if (depth === 0) return;
        skipComment();
        continue;
      }
      if ((c === '\n' || c === '\r') && depth === 0) return;
      if (inline && depth === 0 && (c === ',' || c === '}')) return;
      if (c === '[' || c === '{') depth++;
      if (c === ']' || c === '}') depth--;
      pos++;
    }
  };

  const keyValue = (base: string[], inline: boolean) => {
    skipSpaces();
    const keyAt = pos;
    const path = [...base, ...dottedKey()];
    if (text[pos] !== '=') fail(pos, `expected "=" after the key ${displayKey(path.slice(base.length))}`);
    pos++;
    skipSpaces();
    const valueAt = pos;
    const place = at(keyAt);
    if (text[pos] === '{') {
      pos++;
      inlineTable(path);
      return;
    }
    skipValue(inline);
    const raw = text.slice(valueAt, pos).trimEnd();
    if (raw === '') fail(valueAt, `expected a value for ${displayKey(path)}`);
    keys.push({ path, ...place, raw, valueAt, inArrayTable });
  };

  const inlineTable = (base: string[]) => {
    skipSpaces();
    if (text[pos] === '}') {
      pos++;
      return;
    }
    for (;;) {
      keyValue(base, true);
      skipSpaces();
      if (text[pos] === ',') {
        pos++;
        continue;
      }
      if (text[pos] === '}') {
        pos++;
        return;
      }
      fail(pos, 'expected "," or "}" in inline table');
    }
  };

  try {
    while (pos < text.length) {
      const c = text[pos]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        pos++;
        continue;
      }
      if (c === '#') {
        skipComment();
        continue;
      }
      if (c === '[') {
        const headerAt = pos;
        const array = text[pos + 1] === '[';
        pos += array ? 2 : 1;
        const path = dottedKey();
        if (!text.startsWith(array ? ']]' : ']', pos)) fail(pos, `expected "${array ? ']]' : ']'}" to close the table header`);
        pos += array ? 2 : 1;
        tables.push({ path, ...at(headerAt), array });
        prefix = path;
        inArrayTable = array;
        endOfLine();
        continue;
      }
      keyValue(prefix, false);
      endOfLine();
    }
  } catch (e) {
    if (!(e instanceof ScanStop)) throw e;
  }
  return { keys, tables, problems };
}
