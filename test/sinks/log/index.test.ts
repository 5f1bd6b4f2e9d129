import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogTracerConfig } from '../../../src/sinks/log/config.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import type { Sink } from '../../../src/runtime/types.js';
import { createLogSink } from '../../../src/sinks/log/sink.js';
import { formatLine } from '../../../src/format/text.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'log');

let dir: string;
const sinks: Sink[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-log-'));
  seq = 0;
  clock = Date.parse('2025-06-15T10:00:00Z');
});
afterEach(async () => {
  for (const s of sinks.splice(0)) await s.close?.();
  rmSync(dir, { recursive: true, force: true });
});

function config(over: Partial<LogTracerConfig> = {}): LogTracerConfig {
  return {
    type: 'log', id: 'file', enable: true, level: 'info', lossy: false,
    events: { policy: 'exclude', patterns: [] }, queueSize: 1000,
    place: { file: 'test.toml', line: 1, col: 1, key: 'tracer.file' },
    path: dir, prefix: 'stalwart', rotate: 'daily', ansi: false, multiline: false,
    ...over,
  };
}

/** The sink's wall clock (ms): tests set it; each open reads it. */
let clock = Date.parse('2025-06-15T10:00:00Z');
function sink(over: Partial<LogTracerConfig> = {}, now: () => number = () => clock): Sink {
  const s = createLogSink(config(over), now);
  sinks.push(s);
  return s;
}

let seq = 0;
function at(iso: string, data?: TelemetryEvent['data']): TelemetryEvent {
  seq++;
  return { seq, type: 'tls.handshake', level: 'info', createdAt: Date.parse(iso), data: data ?? { size: seq }, text: 'TLS handshake' };
}

function files(d = dir): string[] {
  return readdirSync(d).sort();
}

function lines(name: string, d = dir): string[] {
  return readFileSync(join(d, name), 'utf8').split('\n').filter((l) => l !== '');
}

describe('log sink rotation (wall clock names the file, event time triggers the rotation)', () => {
  it('names the file from the wall clock at start: a replay of last year writes today\'s file', async () => {
    clock = Date.parse('2026-11-29T06:40:00Z');
    const s = sink();
    expect(await s.start!()).toEqual({ ok: true });
    expect(files()).toEqual(['stalwart.2026-11-29']);
    expect(await s.write([at('2025-06-15T10:00:00Z'), at('2025-12-31T23:59:59Z')])).toEqual({ ok: true });
    expect(files()).toEqual(['stalwart.2026-11-29']);
    expect(lines('stalwart.2026-11-29')).toEqual([
      '2025-06-15T10:00:00Z INFO TLS handshake (tls.handshake) size = 1',
      '2025-12-31T23:59:59Z INFO TLS handshake (tls.handshake) size = 2',
    ]);
  });

  it('daily: an event at the boundary second stays (Stalwart compares with >), one past it rotates to the file the clock names then', async () => {
    clock = Date.parse('2025-06-15T23:59:59.900Z');
    const s = sink();
    expect(await s.start!()).toEqual({ ok: true });
    expect(await s.write([at('2025-06-15T23:59:59.900Z')])).toEqual({ ok: true });
    expect(s.target).toBe(join(dir, 'stalwart.2025-06-15'));
    clock = Date.parse('2025-06-16T00:00:00.500Z');
    expect(await s.write([at('2025-06-16T00:00:00.000Z')])).toEqual({ ok: true });
    expect(s.target).toBe(join(dir, 'stalwart.2025-06-15'));
    clock = Date.parse('2025-06-16T00:00:01.200Z');
    expect(await s.write([at('2025-06-16T00:00:01.000Z')])).toEqual({ ok: true });
    expect(s.target).toBe(join(dir, 'stalwart.2025-06-16'));
    expect(files()).toEqual(['stalwart.2025-06-15', 'stalwart.2025-06-16']);
    expect(lines('stalwart.2025-06-15')).toEqual([
      '2025-06-15T23:59:59Z INFO TLS handshake (tls.handshake) size = 1',
      '2025-06-16T00:00:00Z INFO TLS handshake (tls.handshake) size = 2',
    ]);
    expect(lines('stalwart.2025-06-16')).toEqual(['2025-06-16T00:00:01Z INFO TLS handshake (tls.handshake) size = 3']);
  });

  it('rotation reopens by the clock: an event past the boundary while the clock still reads the old day stays in that day\'s file', async () => {
    clock = Date.parse('2025-06-15T23:59:58Z');
    const s = sink();
    await s.write([at('2025-06-15T23:59:58Z'), at('2025-06-16T00:00:05Z'), at('2025-06-17T00:00:05Z')]);
    expect(files()).toEqual(['stalwart.2025-06-15']);
    expect(lines('stalwart.2025-06-15')).toHaveLength(3);
  });

  it('hourly and minutely: names and boundaries from the clock at each open', async () => {
    const times = [Date.parse('2025-06-15T18:59:59Z'), Date.parse('2025-06-15T19:00:02Z')];
    const h = sink({ rotate: 'hourly' }, () => times[0]!);
    await h.write([at('2025-06-15T18:59:59Z'), at('2025-06-15T19:00:00Z')]);
    times.shift();
    await h.write([at('2025-06-15T19:00:01Z')]);
    expect(files()).toEqual(['stalwart.2025-06-15T18', 'stalwart.2025-06-15T19']);
    expect(lines('stalwart.2025-06-15T18')).toHaveLength(2);
    expect(lines('stalwart.2025-06-15T19')).toHaveLength(1);

    const sub = join(dir, 'm');
    clock = Date.parse('2025-06-15T18:02:00Z');
    const m = sink({ rotate: 'minutely', path: sub });
    await m.write([at('2025-06-15T18:02:00Z'), at('2025-06-15T18:02:59.999Z')]);
    clock = Date.parse('2025-06-15T18:03:01Z');
    await m.write([at('2025-06-15T18:03:01Z')]);
    expect(files(sub)).toEqual(['stalwart.2025-06-15T18:02', 'stalwart.2025-06-15T18:03']);
    expect(lines('stalwart.2025-06-15T18:02', sub)).toHaveLength(2);
    const onDisk = files(sub).reduce((n, f) => n + statSync(join(sub, f)).size, 0);
    expect(onDisk).toBe(3 * 65);
    expect(m.details!()).toEqual({ file: join(sub, 'stalwart.2025-06-15T18:03'), bytes: onDisk });
  });

  it('never: one file named just the prefix', async () => {
    const s = sink({ rotate: 'never', prefix: 'mail' });
    await s.write([at('2025-06-15T23:59:59Z'), at('2025-06-16T00:00:00Z'), at('2026-01-01T00:00:00Z')]);
    expect(files()).toEqual(['mail']);
    expect(lines('mail')).toHaveLength(3);
    expect(s.target).toBe(join(dir, 'mail'));
  });

  it('does not rotate back for an older event', async () => {
    clock = Date.parse('2025-06-16T00:00:01Z');
    const s = sink();
    await s.write([at('2025-06-16T00:00:01Z'), at('2025-06-15T23:59:59Z')]);
    expect(files()).toEqual(['stalwart.2025-06-16']);
    expect(lines('stalwart.2025-06-16')).toHaveLength(2);
  });

  it('appends to an existing file', async () => {
    writeFileSync(join(dir, 'stalwart.2025-06-15'), 'earlier line\n');
    const s = sink();
    await s.write([at('2025-06-15T10:00:00Z')]);
    await s.close!();
    await s.write([at('2025-06-15T10:00:01Z')]);
    expect(lines('stalwart.2025-06-15')).toEqual([
      'earlier line',
      '2025-06-15T10:00:00Z INFO TLS handshake (tls.handshake) size = 1',
      '2025-06-15T10:00:01Z INFO TLS handshake (tls.handshake) size = 2',
    ]);
  });

  it('replays the fixture byte-exact across midnight in one batch, the wall clock crossing midnight with it', async () => {
    const events = JSON.parse(readFileSync(join(FIXTURES, 'events.json'), 'utf8')) as TelemetryEvent[];
    // The first open (start of the batch) reads 23:00, the rotation reads 00:00:05 the next day.
    const reads = [Date.parse('2025-06-15T23:00:00Z'), Date.parse('2025-06-16T00:00:05Z')];
    const s = sink({}, () => (reads.length > 1 ? reads.shift()! : reads[0]!));
    expect(await s.write(events)).toEqual({ ok: true });
    await s.flush!();
    expect(files()).toEqual(['stalwart.2025-06-15', 'stalwart.2025-06-16']);
    let total = 0;
    for (const name of files()) {
      const want = readFileSync(join(FIXTURES, 'expected', name));
      expect(readFileSync(join(dir, name)).equals(want)).toBe(true);
      total += want.length;
    }
    expect(s.details!()).toEqual({ file: join(dir, 'stalwart.2025-06-16'), bytes: total });
  });

  it('log sinks handed the same batch write the same bytes, each rotating and formatting as its own options say', async () => {
    const events = JSON.parse(readFileSync(join(FIXTURES, 'events.json'), 'utf8')) as TelemetryEvent[];
    const day = Date.parse('2025-06-15T23:00:00Z');
    const dirs = ['a', 'b', 'c', 'd'].map((d) => join(dir, d));
    // a and b never rotate in this batch (the clock reads the next day already: its boundary is past every event), c does, d prints ANSI.
    const a = sink({ path: dirs[0]!, rotate: 'never' });
    const b = sink({ path: dirs[1]!, rotate: 'never' });
    const reads = [day, Date.parse('2025-06-16T00:00:05Z')];
    const c = sink({ path: dirs[2]! }, () => (reads.length > 1 ? reads.shift()! : reads[0]!));
    const d = sink({ path: dirs[3]!, rotate: 'never', ansi: true });
    for (const s of [a, b, c, d, a]) expect(await s.write(events)).toEqual({ ok: true });
    const plain = events.map((e) => formatLine(e, { ansi: false, multiline: false })).join('');
    expect(readFileSync(join(dirs[0]!, 'stalwart'), 'utf8')).toBe(plain + plain);
    expect(readFileSync(join(dirs[1]!, 'stalwart'), 'utf8')).toBe(plain);
    for (const name of files(dirs[2]!)) expect(readFileSync(join(dirs[2]!, name)).equals(readFileSync(join(FIXTURES, 'expected', name)))).toBe(true);
    expect(readFileSync(join(dirs[3]!, 'stalwart'), 'utf8')).toBe(events.map((e) => formatLine(e, { ansi: true, multiline: false })).join(''));
  });

  it('writes ansi and multiline lines when configured', async () => {
    const s = sink({ ansi: true, multiline: true });
    await s.write([at('2025-06-15T10:00:00Z', { tls: true })]);
    expect(readFileSync(join(dir, 'stalwart.2025-06-15'), 'utf8')).toBe(
      '\x1b[37m2025-06-15T10:00:00Z\x1b[0m \x1b[32;1mINFO\x1b[0m \x1b[37;1mTLS handshake\x1b[0m (tls.handshake)\n\t\x1b[36mtls\x1b[0m = true\n',
    );
  });
});

describe('log sink failures raise telemetry.log-error with Stalwart\'s details', () => {
  it('creates a missing directory tree (an improvement: Stalwart never creates it)', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    const s = sink({ path: deep });
    expect(await s.start!()).toEqual({ ok: true });
    expect(files(deep)).toEqual(['stalwart.2025-06-15']);
    await s.write([at('2025-06-15T10:00:00Z')]);
    expect(lines('stalwart.2025-06-15', deep)).toHaveLength(1);
  });

  it('a file that cannot be created: "Failed to create log file" with path and reason, then recovers on the next batch', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a regular file in the way');
    const logDir = join(blocker, 'logs');
    const file = join(logDir, 'stalwart.2025-06-15');
    const s = sink({ path: logDir });

    const started = await s.start!();
    expect(started).toMatchObject({ ok: false, retry: false, event: { details: 'Failed to create log file', path: file } });
    if (!started.ok) {
      expect(Object.keys(started.event!)).toEqual(['details', 'path', 'reason']);
      expect(started.event!.reason).toMatch(/^ENOTDIR: not a directory/);
      expect(started.error).toBe(`Failed to create log file ${file}: ${started.event!.reason}`);
    }
    const failed = await s.write([at('2025-06-15T10:00:00Z')]);
    expect(failed).toMatchObject({ ok: false, retry: false, event: { details: 'Failed to create log file', path: file } });
    expect(s.details!().bytes).toBe(0);

    rmSync(blocker);
    expect(await s.write([at('2025-06-15T10:00:01Z')])).toEqual({ ok: true });
    expect(lines('stalwart.2025-06-15', logDir)).toEqual(['2025-06-15T10:00:01Z INFO TLS handshake (tls.handshake) size = 2']);
  });

  it('a directory in the file\'s place: "Failed to create log file" naming that path', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'stalwart'));
    const s = sink({ rotate: 'never' });
    const r = await s.write([at('2025-06-15T10:00:00Z')]);
    expect(r).toMatchObject({ ok: false, retry: false, event: { details: 'Failed to create log file', path: join(dir, 'stalwart') } });
    if (!r.ok) expect(r.event!.reason).toMatch(/^EISDIR/);
  });

  it('a failed write: "Failed to write event to log" with the reason', async () => {
    const s = sink({ path: '/dev', prefix: 'full', rotate: 'never' });
    const r = await s.write([at('2025-06-15T10:00:00Z')]);
    expect(r).toEqual({
      ok: false,
      retry: false,
      error: 'Failed to write event to log /dev/full: ENOSPC: no space left on device, write',
      event: { reason: 'ENOSPC: no space left on device, write', details: 'Failed to write event to log' },
    });
  });
});
