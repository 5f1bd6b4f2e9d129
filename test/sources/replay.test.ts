import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SPAN_START_TO_END } from '../../src/catalogue/index.js';
import type { ReplaySourceConfig } from '../../src/config/types.js';
import { createReplaySource } from '../../src/sources/replay.js';
import { FakeContext, within } from '../helpers/fake-context.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'replay');
const SMALL = join(DIR, 'small.ndjson');
const PACED = join(DIR, 'paced.ndjson');
const T0 = Date.UTC(2025, 5, 15, 18, 2, 57);
const tmp = mkdtempSync(join(tmpdir(), 'mailtel-replay-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cfg(path: string, over: Partial<ReplaySourceConfig> = {}): ReplaySourceConfig {
  return { id: 'replay', type: 'replay', path, speed: 0, restamp: false, loop: false, place: { file: 'test', line: 1, col: 1, key: 'source.replay' }, ...over };
}

async function replay(path: string, over: Partial<ReplaySourceConfig> = {}, ctx = new FakeContext()): Promise<FakeContext> {
  await within(createReplaySource(cfg(path, over)).run(ctx), 10_000);
  return ctx;
}

describe('replay of test/fixtures/replay/small.ndjson', () => {
  it('has 53 lines: 50 valid events, malformed lines 14 and 37, blank line 25', async () => {
    const text = readFileSync(SMALL, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(53);
    expect(lines.flatMap((l, i) => (l === '' ? [i + 1] : []))).toEqual([25]);
    const ctx = await replay(SMALL);
    expect(ctx.events).toHaveLength(50);
    expect(ctx.errors).toHaveLength(2);
    expect(ctx.errors[0]).toMatch(new RegExp(`^${SMALL.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:14: invalid JSON: `));
    expect(ctx.errors[1]).toBe(`${SMALL}:37: missing "type"`);
    expect(ctx.states[0]!.state).toBe('running');
    expect(ctx.lastState).toEqual({ state: 'finished', details: { lines: 53, events: 50, malformed: 2 } });
  });

  it('keeps createdAt, span ids (u64 exact) and own keys, folding captured span keys away', async () => {
    const { events } = await replay(SMALL);
    expect(events[0]).toEqual({
      type: 'smtp.connection-start',
      createdAt: T0,
      data: { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.10', remotePort: 40112 },
      spanId: '7236145239785423817',
      spanAt: 4, // spanId arrived after the four keys: encoders put it back there
    });
    expect(events[1]).toEqual({ type: 'smtp.ehlo', createdAt: T0, data: { domain: 'mx1.example.org' }, spanId: '7236145239785423817', spanAt: 0 });
    const delivered = events.find((e) => e.type === 'delivery.delivered')!;
    expect(delivered.data).toEqual({ hostname: 'mx1.example.org', to: 'jane@example.org', code: 250, details: '2.0.0 Ok: queued as 9F3A11C2', elapsed: 310 });
    expect(events.find((e) => e.type === 'queue.rescheduled')!.data).toEqual({ queueId: 73014444033, total: 1 });
    expect(events.find((e) => e.type === 'http.connection-end')).toMatchObject({ spanId: '12839468310024970881', data: { elapsed: 5012 } });
    expect(events.filter((e) => Object.hasOwn(SPAN_START_TO_END, e.type))).toHaveLength(5);
    expect(events.filter((e) => e.spanId === undefined).map((e) => e.type)).toEqual(['queue.back-pressure', 'store.unexpected-error']);
    expect(events[events.length - 1]!.createdAt).toBe(T0 + 18_000);
    const times = events.map((e) => e.createdAt!);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
  });
});

describe('replay source', () => {
  it('expands webhook bodies and live-trace arrays, CRLF lines, and names bad elements', async () => {
    const path = join(DIR, 'bodies.ndjson');
    const ctx = await replay(path);
    expect(ctx.events.map((e) => e.type)).toEqual(['smtp.connection-start', 'smtp.ehlo', 'imap.noop', 'custom.not-in-catalogue']);
    expect(ctx.events[1]).toEqual({ type: 'smtp.ehlo', createdAt: T0 + 1000, data: { domain: 'mx1.example.org' }, spanId: '18446744073709551615', spanAt: 0 });
    expect(ctx.events[3]!.text).toBe('Something');
    expect(ctx.errors).toEqual([`${path}:1: events[1]: "data" is the string "oops", not an object`, `${path}:4: "events" is the string "nope", not an array`]);
    expect(ctx.lastState).toEqual({ state: 'finished', details: { lines: 4, events: 4, malformed: 2 } });
  });

  it('keeps the original pacing scaled by speed, in order, with original createdAt', async () => {
    const t0 = performance.now();
    const ctx = await replay(PACED, { speed: 10 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(180);
    expect(ctx.events.map((e) => [e.type, e.createdAt])).toEqual([
      ['smtp.connection-start', T0],
      ['smtp.ehlo', T0 + 1000],
      ['smtp.connection-end', T0 + 2000],
    ]);
  });

  it('re-stamps to the present keeping the gaps (scaled by speed when paced)', async () => {
    const before = Date.now();
    const fast = await replay(PACED, { restamp: true });
    const first = fast.events[0]!.createdAt!;
    expect(first).toBeGreaterThanOrEqual(before);
    expect(first).toBeLessThanOrEqual(Date.now());
    expect(fast.events.map((e) => e.createdAt! - first)).toEqual([0, 1000, 2000]);
    const paced = await replay(PACED, { restamp: true, speed: 10 });
    const p0 = paced.events[0]!.createdAt!;
    expect(paced.events.map((e) => e.createdAt! - p0)).toEqual([0, 100, 200]);
  });

  it('loops at end of file until stopped', async () => {
    const ctx = new FakeContext({ stopAfter: 7 });
    await replay(PACED, { loop: true }, ctx);
    expect(ctx.events.map((e) => e.type)).toEqual([
      'smtp.connection-start', 'smtp.ehlo', 'smtp.connection-end',
      'smtp.connection-start', 'smtp.ehlo', 'smtp.connection-end',
      'smtp.connection-start',
    ]);
    expect(ctx.states.map((s) => s.state)).not.toContain('finished');
  });

  it('does not loop over a file without valid events', async () => {
    const path = join(DIR, 'no-events.ndjson');
    const ctx = await replay(path, { loop: true });
    expect(ctx.events).toEqual([]);
    expect(ctx.errors).toEqual([
      expect.stringMatching(new RegExp(`:1: invalid JSON: `)),
      `${path}:3: "type" is number 5, not a non-empty string`,
      `${path}: no valid events in the file, not looping`,
    ]);
    expect(ctx.lastState).toEqual({ state: 'finished', details: { lines: 3, events: 0, malformed: 2 } });
  });

  it('reports a missing file as a failing source (not a malformed line) and finishes without throwing', async () => {
    const path = join(tmp, 'nope.ndjson');
    const ctx = await replay(path);
    expect(ctx.states).toEqual([{ state: 'failing', details: { speed: 0, lines: 0, events: 0, malformed: 0, passes: 0, thread: false } }]);
    expect(ctx.failures).toEqual([`${path}: file not found`]);
    expect(ctx.errors).toEqual([]);
    const dir = await replay(tmp);
    expect(dir.failures).toEqual([`${tmp}: not a regular file`]);
  });

  it('waits for ready() when emit returns false', async () => {
    const ctx = new FakeContext();
    ctx.block();
    const run = createReplaySource(cfg(SMALL)).run(ctx);
    await ctx.waitFor(() => ctx.events.length > 0);
    await new Promise((r) => setTimeout(r, 100));
    expect(ctx.events).toHaveLength(1);
    ctx.release();
    await within(run, 5000);
    expect(ctx.events).toHaveLength(50);
    expect(ctx.readyCalls).toBe(1);
  });

  it('stops promptly during a long pacing wait', async () => {
    const ctx = new FakeContext();
    const run = createReplaySource(cfg(join(DIR, 'hour-gap.ndjson'), { speed: 1 })).run(ctx);
    await ctx.waitFor(() => ctx.events.length === 1);
    ctx.stop();
    await within(run, 500);
    expect(ctx.events).toHaveLength(1);
  });

  it('reads lines longer than a read chunk, with multi-byte text across chunk edges', async () => {
    const path = join(tmp, 'long.ndjson');
    const details = 'é€😀'.repeat(200_000);
    const line = (n: number) => JSON.stringify({ type: 'smtp.ehlo', createdAt: '2025-06-15T18:02:57Z', data: { domain: `d${n}`, details } });
    writeFileSync(path, `${line(1)}\r\n${line(2)}\n${line(3)}`);
    const ctx = await replay(path);
    expect(ctx.errors).toEqual([]);
    expect(ctx.events.map((e) => e.data.domain)).toEqual(['d1', 'd2', 'd3']);
    for (const ev of ctx.events) expect(ev.data.details).toBe(details);
  });

  it('replays a larger generated file completely at speed 0', async () => {
    const path = join(tmp, 'large.ndjson');
    const lines: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      lines.push(`{"id":"${i}","createdAt":"2025-06-15T18:${String(Math.floor(i / 600) % 60).padStart(2, '0')}:00Z","type":"imap.noop","data":{"spanId":${1e15 + i},"total":${i}}}`);
    }
    writeFileSync(path, lines.join('\n'));
    const ctx = await replay(path);
    expect(ctx.events).toHaveLength(20_000);
    expect(ctx.events[19_999]).toMatchObject({ spanId: String(1e15 + 19_999), data: { total: 19_999 } });
    expect(ctx.lastState).toEqual({ state: 'finished', details: { lines: 20_000, events: 20_000, malformed: 0 } });
  });
});
