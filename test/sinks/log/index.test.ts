import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogTracerConfig } from '../../../src/sinks/log/config.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import type { Sink } from '../../../src/runtime/types.js';
import { createLogSink } from '../../../src/sinks/log/sink.js';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'log');

let dir: string;
const sinks: Sink[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-log-'));
  seq = 0;
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

function sink(over: Partial<LogTracerConfig> = {}): Sink {
  const s = createLogSink(config(over));
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

describe('log sink rotation (by event time)', () => {
  it('daily: 00:00:00 still goes to the old file (Stalwart compares with >), 00:00:01 opens the next', async () => {
    const s = sink();
    expect(await s.start!()).toEqual({ ok: true });
    expect(await s.write([at('2025-06-15T23:59:59.900Z')])).toEqual({ ok: true });
    expect(s.target).toBe(join(dir, 'stalwart.2025-06-15'));
    expect(await s.write([at('2025-06-16T00:00:00.000Z')])).toEqual({ ok: true });
    expect(s.target).toBe(join(dir, 'stalwart.2025-06-15'));
    expect(await s.write([at('2025-06-16T00:00:01.000Z')])).toEqual({ ok: true });
    expect(s.target).toBe(join(dir, 'stalwart.2025-06-16'));
    expect(files()).toEqual(['stalwart.2025-06-15', 'stalwart.2025-06-16']);
    expect(lines('stalwart.2025-06-15')).toEqual([
      '2025-06-15T23:59:59Z INFO TLS handshake (tls.handshake) size = 1',
      '2025-06-16T00:00:00Z INFO TLS handshake (tls.handshake) size = 2',
    ]);
    expect(lines('stalwart.2025-06-16')).toEqual(['2025-06-16T00:00:01Z INFO TLS handshake (tls.handshake) size = 3']);
  });

  it('hourly and minutely switch at the hour and the minute', async () => {
    const h = sink({ rotate: 'hourly' });
    await h.write([at('2025-06-15T18:59:59Z'), at('2025-06-15T19:00:00Z'), at('2025-06-15T19:00:01Z')]);
    expect(files()).toEqual(['stalwart.2025-06-15T18', 'stalwart.2025-06-15T19']);
    expect(lines('stalwart.2025-06-15T18')).toHaveLength(2);
    expect(lines('stalwart.2025-06-15T19')).toHaveLength(1);

    const sub = join(dir, 'm');
    const m = sink({ rotate: 'minutely', path: sub });
    await m.write([at('2025-06-15T18:02:00Z'), at('2025-06-15T18:02:59.999Z')]);
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

  it('replays the fixture byte-exact across midnight in one batch', async () => {
    const events = JSON.parse(readFileSync(join(FIXTURES, 'events.json'), 'utf8')) as TelemetryEvent[];
    const s = sink();
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

  it('writes ansi and multiline lines when configured', async () => {
    const s = sink({ ansi: true, multiline: true });
    await s.write([at('2025-06-15T10:00:00Z', { tls: true })]);
    expect(readFileSync(join(dir, 'stalwart.2025-06-15'), 'utf8')).toBe(
      '\x1b[37m2025-06-15T10:00:00Z\x1b[0m \x1b[32;1mINFO\x1b[0m \x1b[37;1mTLS handshake\x1b[0m (tls.handshake)\n\t\x1b[36mtls\x1b[0m = true\n',
    );
  });
});

describe('log sink directory handling', () => {
  it('creates a missing directory tree', async () => {
    const deep = join(dir, 'a', 'b', 'c');
    const s = sink({ path: deep });
    expect(await s.start!()).toEqual({ ok: true });
    expect(existsSync(deep)).toBe(true);
    await s.write([at('2025-06-15T10:00:00Z')]);
    expect(files(deep)).toEqual(['stalwart.2025-06-15']);
  });

  it('reports an uncreatable directory with its path, then recovers once it can be made', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a regular file in the way');
    const logDir = join(blocker, 'logs');
    const s = sink({ path: logDir });

    const started = await s.start!();
    expect(started.ok).toBe(false);
    if (!started.ok) {
      expect(started.retry).toBe(false);
      expect(started.error).toContain(logDir);
      expect(started.error).toContain('ENOTDIR');
    }
    const failed = await s.write([at('2025-06-15T10:00:00Z')]);
    expect(failed).toMatchObject({ ok: false, retry: false });
    if (!failed.ok) expect(failed.error).toContain(logDir);
    expect(s.details!().bytes).toBe(0);

    rmSync(blocker);
    expect(await s.write([at('2025-06-15T10:00:01Z')])).toEqual({ ok: true });
    expect(lines('stalwart.2025-06-15', logDir)).toEqual(['2025-06-15T10:00:01Z INFO TLS handshake (tls.handshake) size = 2']);
  });

  it('reports a file that cannot be opened (a directory in its place)', async () => {
    const s = sink({ rotate: 'never' });
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'stalwart'));
    const r = await s.write([at('2025-06-15T10:00:00Z')]);
    expect(r).toMatchObject({ ok: false, retry: false });
    if (!r.ok) expect(r.error).toContain(join(dir, 'stalwart'));
  });
});
