import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ConsoleTracerConfig } from '../../../src/sinks/console/config.js';
import { formatLine } from '../../../src/format/text.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { createConsoleSink } from '../../../src/sinks/console/sink.js';

function config(over: Partial<ConsoleTracerConfig> = {}): ConsoleTracerConfig {
  return {
    type: 'console', id: 'stdout', enable: true, level: 'info', lossy: false,
    events: { policy: 'exclude', patterns: [] }, queueSize: 1000,
    place: { file: 'test.toml', line: 1, col: 1, key: 'tracer.stdout' },
    ansi: false, multiline: false, buffered: true,
    ...over,
  };
}

/** A real Writable that records every chunk; `slow` completes each write on a later tick. */
class Recorder extends Writable {
  chunks: string[] = [];
  constructor(opts: { slow?: boolean; fail?: boolean; highWaterMark?: number } = {}) {
    super({
      decodeStrings: false,
      highWaterMark: opts.highWaterMark ?? 16 * 1024,
      write: (chunk: string | Buffer, _enc, done) => {
        if (opts.fail) return done(new Error('EPIPE: broken pipe'));
        this.chunks.push(String(chunk));
        if (opts.slow) setImmediate(() => done());
        else done();
      },
    });
  }
}

const T = Date.UTC(2025, 5, 15, 18, 2, 57);
/** An event whose plain single-line text is exactly `len` bytes. */
function sized(len: number, i = 0): TelemetryEvent {
  const e: TelemetryEvent = { seq: i, type: 'tls.handshake', level: 'info', createdAt: T, data: { reason: '' }, text: 'TLS handshake' };
  const base = formatLine(e, { ansi: false, multiline: false }).length;
  e.data = { reason: 'x'.repeat(len - base) };
  return e;
}
function batch(n: number, len: number): TelemetryEvent[] {
  return Array.from({ length: n }, (_, i) => sized(len, i));
}

describe('console sink', () => {
  it('writes the docs/stalwart.md §7 line to out and reports stderr as its target', async () => {
    const out = new Recorder();
    const s = createConsoleSink(config({ ansi: true }), out);
    expect(s.target).toBe('stderr');
    expect(s.type).toBe('console');
    const e: TelemetryEvent = { seq: 1, type: 'tls.handshake', level: 'warn', createdAt: T, data: { tls: true }, text: 'TLS handshake' };
    expect(await s.write([e])).toEqual({ ok: true });
    expect(out.chunks).toEqual([
      '\x1b[37m2025-06-15T18:02:57Z\x1b[0m \x1b[33;1mWARN\x1b[0m \x1b[37;1mTLS handshake\x1b[0m (tls.handshake) \x1b[36mtls\x1b[0m = true\n',
    ]);
    await s.close!();
  });

  it('buffered: one write per batch while it fits in 4 KiB', async () => {
    const out = new Recorder();
    const s = createConsoleSink(config(), out);
    for (let b = 0; b < 3; b++) expect(await s.write(batch(10, 100))).toEqual({ ok: true });
    expect(out.chunks).toHaveLength(3);
    expect(out.chunks.every((c) => c.length === 1000)).toBe(true);
    expect(s.details!()).toEqual({ buffered: true, writes: 3, bytes: 3000 });
  });

  it('buffered: a large batch goes out in chunks under 4 KiB, in order', async () => {
    const out = new Recorder();
    const s = createConsoleSink(config(), out);
    const events = batch(100, 100);
    await s.write(events);
    // 40 lines of 100 bytes = 4000; the 41st would reach 4100 >= 4096.
    expect(out.chunks.map((c) => c.length)).toEqual([4000, 4000, 2000]);
    expect(out.chunks.join('')).toBe(events.map((e) => formatLine(e, { ansi: false, multiline: false })).join(''));
  });

  it('buffered: a line over 4 KiB is written together with what the buffer held', async () => {
    const out = new Recorder();
    const s = createConsoleSink(config(), out);
    await s.write([sized(100), sized(5000), sized(100)]);
    expect(out.chunks.map((c) => c.length)).toEqual([5100, 100]);
  });

  it('unbuffered: one write per event', async () => {
    const out = new Recorder();
    const s = createConsoleSink(config({ buffered: false }), out);
    await s.write(batch(100, 100));
    expect(out.chunks).toHaveLength(100);
    expect(out.chunks.every((c) => c.length === 100)).toBe(true);
    expect(s.details!()).toMatchObject({ writes: 100, bytes: 10_000 });
  });

  it('waits for drain: a batch resolves only once out is below its high-water mark', async () => {
    for (const buffered of [true, false]) {
      const out = new Recorder({ slow: true, highWaterMark: 256 });
      const s = createConsoleSink(config({ buffered }), out);
      expect(await s.write(batch(200, 100))).toEqual({ ok: true });
      // Without waiting, ~20 KB would still sit in out's queue here.
      expect(out.writableLength).toBeLessThan(256);
      expect(out.writableNeedDrain).toBe(false);
      expect(out.listenerCount('drain')).toBe(0);
      await s.close!();
      expect(out.listenerCount('error')).toBe(0);
      await new Promise<void>((resolve) => out.end(resolve));
      expect(out.chunks.join('').length).toBe(20_000);
    }
  });

  it('reports a stream error as a failed write instead of throwing', async () => {
    const out = new Recorder({ fail: true });
    const s = createConsoleSink(config(), out);
    const first = await s.write(batch(1, 100));
    await new Promise((r) => setImmediate(r));
    const second = await s.write(batch(1, 100));
    const results = [first, second];
    expect(results.some((r) => !r.ok)).toBe(true);
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok) {
      expect(failed.retry).toBe(false);
      expect(failed.error).toMatch(/EPIPE|closed/);
    }
    expect(out.destroyed).toBe(true);
    expect(await s.write(batch(1, 100))).toMatchObject({ ok: false });
    await s.close!();
  });
});
