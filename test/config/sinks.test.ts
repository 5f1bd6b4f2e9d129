import { describe, expect, it } from 'vitest';
import { readFlatToml } from '../../src/config/flat-toml.js';
import { Reader } from '../../src/config/reader.js';
import { readSinks, readTracerCommon, type SinkReader, type TracerConfig } from '../../src/config/sinks.js';
import { formatIssue } from '../../src/config/types.js';

// config/ reads the tracer and webhook sections through whatever kinds it is handed: a kind
// made up here plugs in with no change to config/ and gets the shared checks and messages.

interface PaintConfig extends TracerConfig {
  colour: 'red' | 'blue';
}

const paint: SinkReader = {
  name: 'paint',
  section: 'tracer',
  aliases: ['paint', 'brush'],
  label: 'paint tracer',
  single: true,
  read(r, ctx): PaintConfig | undefined {
    const colour = r.choice([...ctx.base, 'colour'], ['red', 'blue'] as const);
    if (!colour) return ctx.skip('paint tracers need a colour');
    return { ...readTracerCommon(r, ctx, 'paint'), colour };
  },
};

function read(text: string) {
  const flat = readFlatToml(text, 'k.toml');
  const r = new Reader('k.toml', flat.entries);
  const out = readSinks(r, [paint], new Map());
  return { ...out, issues: r.issues.map(formatIssue) };
}

describe('readSinks with a registry it is handed', () => {
  it('dispatches on type and its aliases, with the common tracer keys read for the kind', () => {
    const { tracers, issues } = read('[tracer.a]\ntype = "brush"\ncolour = "red"\nlevel = "warn"\nqueue-size = 10\n');
    expect(issues).toEqual([]);
    expect(tracers).toEqual([
      {
        id: 'a',
        type: 'paint',
        colour: 'red',
        enable: true,
        level: 'warn',
        lossy: false,
        events: { policy: 'exclude', patterns: [] },
        queueSize: 10,
        place: { file: 'k.toml', line: 2, col: 1, key: 'tracer.a' },
      },
    ]);
  });

  it('names file, line and key for unknown types, unread keys, skips and a second single kind', () => {
    const text = [
      '[tracer.a]', 'type = "log"',
      '[tracer.b]', 'type = "paint"', 'colour = "blue"', 'shade = 3',
      '[tracer.c]', 'type = "paint"',
      '[tracer.d]', 'type = "paint"', 'colour = "red"',
    ].join('\n');
    const { tracers, issues } = read(text);
    expect(tracers.map((t) => t.id)).toEqual(['b']);
    expect(issues).toEqual([
      'k.toml:2:1: warning: tracer.a.type: unknown tracer type "log" (expected one of paint, brush); tracer skipped',
      'k.toml:6:1: warning: tracer.b.shade: not a paint tracer key; ignored',
      'k.toml:8:1: warning: tracer.c.type: paint tracers need a colour; tracer skipped',
      'k.toml:10:1: warning: tracer.d: only one paint tracer may exist (tracer.b is used); tracer skipped',
    ]);
  });

  it('skips a tracer that selects no event, as Stalwart does', () => {
    const { tracers, issues } = read('[tracer.a]\ntype = "paint"\ncolour = "red"\nlevel = "disable"\n');
    expect(tracers).toEqual([]);
    expect(issues).toEqual(['k.toml:4:1: warning: tracer.a.level: No events enabled for tracer (level is disable); tracer skipped']);
  });
});

describe('a kind that cannot work here', () => {
  it('declares unavailable(cfg): the loader warns on its line and keeps it (the runtime shows it failing)', () => {
    const chalk: SinkReader = { ...paint, name: 'chalk', aliases: ['chalk'], label: 'chalk tracer', unavailable: () => 'chalk needs a blackboard', read: (r, ctx) => ({ ...readTracerCommon(r, ctx, 'chalk'), colour: 'red' }) as PaintConfig };
    const flat = readFlatToml('[tracer.c]\ntype = "chalk"\n', 'k.toml');
    const r = new Reader('k.toml', flat.entries);
    const out = readSinks(r, [chalk], new Map());
    expect(out.tracers.map((t) => t.id)).toEqual(['c']);
    expect(r.issues.map(formatIssue)).toEqual(['k.toml:2:1: warning: tracer.c: chalk needs a blackboard: this chalk tracer will show as failing and its events are lost']);
  });
});
