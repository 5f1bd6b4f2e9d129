import { parse, TomlError } from 'smol-toml';
import type { ConfigIssue } from './types.js';
import { displayKey, lineIndex, scanToml } from './toml-lines.js';

/** One key of Stalwart's flat key space with its decoded value and where it was written. */
export interface FlatEntry {
  path: string[];
  /** Display form: `tracer.log.rotate`, `tracing.level."auth.success"`. */
  key: string;
  line: number;
  col: number;
  value: unknown;
}

/** smol-toml's message without its "Invalid TOML document:" prefix and code block. */
function tomlMessage(e: TomlError): string {
  return e.message.split('\n')[0]!.replace(/^Invalid TOML document:\s*/, '');
}

/**
 * smol-toml reports a string left open at the end of its line as a control character (the
 * newline) in the string: say what it is, and point at where the string starts.
 */
function describeTomlError(e: TomlError, text: string): { line: number; col: number; message: string } {
  const message = tomlMessage(e);
  const line = text.split('\n')[e.line - 1] ?? '';
  if (/control characters/.test(message) && e.column - 1 >= line.replace(/\r$/, '').length) {
    const eq = line.indexOf('=');
    const open = line.slice(eq + 1).search(/["']/);
    const col = open < 0 ? e.column : eq + 2 + open;
    const quote = line[col - 1] ?? '"';
    return { line: e.line, col, message: `unterminated string: no closing ${quote} before the end of the line` };
  }
  return { line: e.line, col: e.column, message };
}

/**
 * TOML text → flat entries. smol-toml checks the document; Stalwart's key space also allows
 * what strict TOML calls a redefinition (`enable = true` next to `enable.log-exporter = true`,
 * or `[a]` after `a.b = 1`), so that one complaint is left to the flat reading, which still
 * rejects a key written twice. Values are decoded by smol-toml one by one.
 */
export function readFlatToml(text: string, file: string): { entries: FlatEntry[]; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const problem = (line: number, col: number, message: string, key = '', severity: 'error' | 'warning' = 'error') =>
    issues.push({ file, line, col, key, severity, message });

  try {
    parse(text);
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    if (!/redefine/.test(e.message)) {
      const d = describeTomlError(e, text);
      problem(d.line, d.col, d.message);
      return { entries: [], issues };
    }
  }

  const scan = scanToml(text);
  for (const p of scan.problems) problem(p.line, p.col, p.message);
  for (const t of scan.tables) {
    if (t.array) problem(t.line, t.col, 'arrays of tables are not part of the telemetry key space; ignored', displayKey(t.path), 'warning');
  }

  const at = lineIndex(text);
  const seen = new Map<string, FlatEntry>();
  const entries: FlatEntry[] = [];
  for (const k of scan.keys) {
    if (k.inArrayTable) continue;
    const key = displayKey(k.path);
    let value: unknown;
    const snippet = `v = ${k.raw}`;
    try {
      value = (parse(snippet) as { v: unknown }).v;
    } catch (e) {
      if (!(e instanceof TomlError)) throw e;
      const lines = snippet.split('\n');
      let offset = e.column - 1;
      for (let i = 0; i < e.line - 1; i++) offset += lines[i]!.length + 1;
      const where = at(k.valueAt + Math.max(0, offset - 4));
      problem(where.line, where.col, tomlMessage(e), key);
      continue;
    }
    const id = k.path.join('\u0000');
    const first = seen.get(id);
    if (first) {
      problem(k.line, k.col, `defined twice (first at line ${first.line})`, key);
      continue;
    }
    const entry: FlatEntry = { path: k.path, key, line: k.line, col: k.col, value };
    seen.set(id, entry);
    entries.push(entry);
  }
  return { entries, issues };
}
