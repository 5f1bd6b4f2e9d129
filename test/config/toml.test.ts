import { readFileSync } from 'node:fs';
import { parse, TomlDate } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { readFlatToml } from '../../src/config/flat-toml.js';
import { parseConfig } from '../../src/load-config.js';
import { ConfigError } from '../../src/config/types.js';
import { displayKey, lineIndex, scanToml } from '../../src/config/toml-lines.js';

const keysOf = (text: string) => scanToml(text).keys.map((k) => [displayKey(k.path), k.line, k.col, k.raw]);

describe('toml key scanner', () => {
  it('places dotted keys, table headers and quoted keys', () => {
    const text = [
      '# comment',
      'tracer.log.type = "log"',
      '  tracing.level."auth.success" = "debug"',
      '[tracer.console]',
      'type="console"  # trailing comment',
      "[ webhook . 'my hook' ]",
      '\turl = "https://x/#not-a-comment"',
    ].join('\n');
    expect(keysOf(text)).toEqual([
      ['tracer.log.type', 2, 1, '"log"'],
      ['tracing.level."auth.success"', 3, 3, '"debug"'],
      ['tracer.console.type', 5, 1, '"console"'],
      ['webhook."my hook".url', 7, 2, '"https://x/#not-a-comment"'],
    ]);
    expect(scanToml(text).tables.map((t) => [displayKey(t.path), t.line, t.col])).toEqual([
      ['tracer.console', 4, 1],
      ['webhook."my hook"', 6, 1],
    ]);
  });

  it('spans multi-line arrays with comments and brackets inside strings', () => {
    const text = 'a.events = [\n  "auth.*", # all auth\n  "x]y",\n]\nb = 1\n';
    const keys = keysOf(text);
    expect(keys[0]).toEqual(['a.events', 1, 1, '[\n  "auth.*", # all auth\n  "x]y",\n]']);
    expect(keys[1]).toEqual(['b', 5, 1, '1']);
  });

  it('expands inline tables into full keys with their own positions', () => {
    const text = 'webhook.w = { url = "http://h", auth = { username = "u", secret = "s" } }\n';
    expect(keysOf(text)).toEqual([
      ['webhook.w.url', 1, 15, '"http://h"'],
      ['webhook.w.auth.username', 1, 42, '"u"'],
      ['webhook.w.auth.secret', 1, 58, '"s"'],
    ]);
  });

  it('handles multi-line strings, literal strings and CRLF line ends', () => {
    const text = 'a = """\nline1 # not a comment\n"""\r\nb = \'C:\\dir\'\r\nc = true\r\n';
    expect(keysOf(text)).toEqual([
      ['a', 1, 1, '"""\nline1 # not a comment\n"""'],
      ['b', 4, 1, "'C:\\dir'"],
      ['c', 5, 1, 'true'],
    ]);
  });

  it('marks keys under [[array tables]]', () => {
    const scan = scanToml('[[x]]\na = 1\n[y]\nb = 2\n');
    expect(scan.keys.map((k) => [displayKey(k.path), k.inArrayTable])).toEqual([
      ['x.a', true],
      ['y.b', false],
    ]);
    expect(scan.tables[0]).toMatchObject({ array: true, line: 1 });
  });

  it('reports structural problems with line and column', () => {
    expect(scanToml('a = 1\nb c = 2\n').problems).toEqual([{ line: 2, col: 3, message: 'expected "=" after the key b' }]);
    expect(scanToml('[a.b\nx = 1').problems).toEqual([{ line: 1, col: 5, message: 'expected "]" to close the table header' }]);
    expect(scanToml('a = 1 2\n').problems).toEqual([]); // the value text is "1 2": smol-toml rejects it
  });

  it('maps offsets to lines and columns', () => {
    const at = lineIndex('ab\ncd\n\nef');
    expect([at(0), at(1), at(3), at(6), at(7), at(8)]).toEqual([
      { line: 1, col: 1 },
      { line: 1, col: 2 },
      { line: 2, col: 1 },
      { line: 3, col: 1 },
      { line: 4, col: 1 },
      { line: 4, col: 2 },
    ]);
  });
});

describe('flat TOML reading', () => {
  it('decodes values with smol-toml', () => {
    const { entries, issues } = readFlatToml('[t]\na = "x"\nb = 2\nc = [1, 2]\nd = true\ne = { f = "g" }\n', 'f.toml');
    expect(issues).toEqual([]);
    expect(entries.map((e) => [e.key, e.value])).toEqual([
      ['t.a', 'x'],
      ['t.b', 2],
      ['t.c', [1, 2]],
      ['t.d', true],
      ['t.e.f', 'g'],
    ]);
  });

  it("accepts Stalwart's flat key space where strict TOML sees a redefinition", () => {
    const text = '[tracer.otel]\nenable = true\nenable.log-exporter = false\n';
    const { entries, issues } = readFlatToml(text, 'f.toml');
    expect(issues).toEqual([]);
    expect(entries.map((e) => [e.key, e.value])).toEqual([
      ['tracer.otel.enable', true],
      ['tracer.otel.enable.log-exporter', false],
    ]);
  });

  it('rejects a key written twice, naming both lines', () => {
    const { issues } = readFlatToml('a.b = 1\n[a]\nb = 2\n', 'f.toml');
    expect(issues).toEqual([{ file: 'f.toml', line: 3, col: 1, key: 'a.b', severity: 'error', message: 'defined twice (first at line 1)' }]);
  });

  it('reports smol-toml syntax errors at their line and column', () => {
    const { issues } = readFlatToml('a = 1\nb = "open\n', 'f.toml');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'f.toml', line: 2, col: 5, key: '', severity: 'error' });
    expect(issues[0]!.message).toMatch(/^unterminated string/);
  });

  it('places a bad value inside a multi-line array on its own line (after a tolerated redefinition)', () => {
    const text = 'x.enable = true\nx.enable.y = 1\nlist = [\n  "a",\n  nope,\n]\n';
    const { issues } = readFlatToml(text, 'f.toml');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 5, col: 3, key: 'list' });
  });
});

describe('the scanner agrees with smol-toml; bad input never crashes the loader', () => {
  const doc = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
  const example = /## A complete example\s+```toml\n([\s\S]*?)```/.exec(doc)![1]!;
  const PIECES = ['"', "'", '[', ']', '{', '}', '=', '.', '\n', ' ', '#', ',', '*', 'x', '1', '\\', '"""', "'''", '\r\n', '\t'];

  /** Seeded mutations of the docs example: deletions, inserted TOML punctuation, pasted slices. */
  function* mutations(seed: number, count: number): Generator<string> {
    let s = seed;
    const rnd = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < count; i++) {
      let t = example;
      for (let j = 0, n = 1 + Math.floor(rnd() * 3); j < n; j++) {
        const p = Math.floor(rnd() * t.length);
        const op = rnd();
        if (op < 0.4) t = t.slice(0, p) + t.slice(p + 1 + Math.floor(rnd() * 5));
        else if (op < 0.8) t = t.slice(0, p) + PIECES[Math.floor(rnd() * PIECES.length)] + t.slice(p);
        else {
          const q = Math.floor(rnd() * t.length);
          t = t.slice(0, p) + t.slice(q, q + 20) + t.slice(p);
        }
      }
      yield t;
    }
  }

  function flatten(v: unknown, path: string[], out: Map<string, unknown>): Map<string, unknown> {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof TomlDate)) for (const [k, x] of Object.entries(v)) flatten(x, [...path, k], out);
    else out.set(JSON.stringify(path), v);
    return out;
  }

  it('finds exactly the keys and values smol-toml finds in every document it accepts', () => {
    let compared = 0;
    for (const text of mutations(7, 2000)) {
      let tree: unknown;
      try {
        tree = parse(text);
      } catch {
        continue;
      }
      const flat = readFlatToml(text, 'f.toml');
      expect(flat.issues.filter((i) => i.severity === 'error')).toEqual([]);
      const ours = new Map(flat.entries.map((e) => [JSON.stringify(e.path), e.value]));
      expect(ours).toEqual(flatten(tree, [], new Map()));
      compared++;
    }
    expect(compared).toBeGreaterThan(300);
  });

  it('returns a config or throws ConfigError with positions, never anything else', () => {
    let errors = 0;
    for (const text of mutations(11, 1200)) {
      try {
        parseConfig(text, 'f.toml');
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        for (const i of (e as ConfigError).issues) expect(i.line).toBeGreaterThan(0);
        errors++;
      }
    }
    expect(errors).toBeGreaterThan(300);
  });

  it('decodes quoted keys with TOML escapes and raw tabs', () => {
    const { entries } = readFlatToml('a."x\\ty" = 1\nb."\tz" = 2\nc."\\u0041" = 3\n', 'f.toml');
    expect(entries.map((e) => e.path)).toEqual([
      ['a', 'x\ty'],
      ['b', '\tz'],
      ['c', 'A'],
    ]);
  });
});
