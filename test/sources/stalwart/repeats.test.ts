import { afterEach, describe, expect, it } from 'vitest';
import { RepeatSkipper, restartBytes } from '../../../src/sources/stalwart/repeats.js';
import { liveElementV016, StalwartTestServer } from '../../helpers/stalwart-server.js';
import { waitFor } from '../../helpers/wait.js';
import { liveEnv, range, stalwartToml, traffic, type LiveEnv } from './live-env.js';

let server: StalwartTestServer | undefined;
let env: LiveEnv | undefined;
afterEach(async () => {
  await env?.close();
  await server?.stop();
  env = undefined;
  server = undefined;
});

const [a, b, c] = traffic(3, 1, 0).map(liveElementV016) as [string, string, string];

describe('RepeatSkipper', () => {
  it('hands on only the new tail of a frame that repeats the previous one, nothing for an exact repeat', () => {
    const r = new RepeatSkipper();
    expect(r.next(`[${a}]`)).toBe(`[${a}]`);
    expect(r.next(`[${a},${b}]`)).toBe(`[${b}]`);
    expect(r.next(`[${a},${b}]`)).toBeUndefined();
    expect(r.next(`[${a},${b},${c}]`)).toBe(`[${c}]`);
    expect(r.repeatFrames).toBe(3);
    expect(r.skippedBytes).toBe(`[${a}`.length + `[${a},${b}]`.length + `[${a},${b}`.length);
  });

  it('disjoint frames (v0.15, a fixed v0.16) pass unchanged, and so does a frame whose head is not a whole element', () => {
    const r = new RepeatSkipper();
    for (const f of [`[${a}]`, `[${b}]`, `[${b},${c}]`.replace(b, a.slice(0, -1) + ',"x":1}'), `[${c}]`, `[${c}]x`]) expect(r.next(f)).toBe(f);
    expect(r.seen).toBe(false);
  });

  it('a new connection or a malformed frame is never taken as the head of the next frame', () => {
    const r = new RepeatSkipper();
    r.next(`[${a}]`);
    r.forget();
    expect(r.next(`[${a},${b}]`)).toBe(`[${a},${b}]`);
    expect(r.next('[{"event":]')).toBe('[{"event":]');
    r.forget();
    expect(r.next('[{"event":,{}]')).toBe('[{"event":,{}]');
  });

  it('restarts at 1 MiB, or a quarter of max-frame when that is smaller', () => {
    expect(restartBytes(32 * 1024 * 1024)).toBe(1024 * 1024);
    expect(restartBytes(65536)).toBe(16384);
  });
});

const src = (e: LiveEnv) => e.rt.snapshot().sources[0]!;

/** Waits until the client streams on the one stream the server has open (after any restart). */
async function settled(s: StalwartTestServer, e: LiveEnv): Promise<void> {
  await waitFor(() => {
    const d = src(e).details;
    return d.phase === 'streaming' && s.traceStreams === 1 && d.connections === s.traceStreamsOpened;
  }, 10_000, 'one stream, streaming');
}

describe('a v0.16 server that resends every event in every frame (v0.16.0 to v0.16.18)', () => {
  it('each event logged exactly once: repeated heads and idle resends skipped, counted and named in the status', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20, pingMs: 400, cumulative: true }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    for (let round = 0; round < 3; round++) {
      server.emit(traffic(40, round + 1, round * 100));
      await waitFor(() => env!.probes().length >= 40 * (round + 1), 10_000, `round ${round} logged`);
      // The idle stream sends the whole list again instead of a ping, more than once.
      const resends = server.resends;
      await waitFor(() => server!.resends >= resends + 2, 10_000, 'idle resends');
    }
    await env.rt.idle();
    const probes = env.probes();
    expect(probes).toHaveLength(120);
    expect([...probes].sort((x, y) => x - y)).toEqual([...range(0, 40), ...range(100, 40), ...range(200, 40)]);
    expect(server.repeatedSent).toBeGreaterThan(120);
    await waitFor(() => src(env!).details.repeatFrames === server!.frames + server!.resends - server!.traceStreamsOpened, 5_000, 'every repeat counted');
    const s = src(env);
    expect(s.events).toBe(120);
    expect(s.errors).toBe(0);
    expect(s.details).toMatchObject({ malformedFrames: 0, malformedEvents: 0, restarts: 0 });
    expect(s.details.repeats).toBe(`Stalwart v0.16 resends every event in every frame: repeats skipped, stream restarted ${String(s.details.restarts)} times`);
    const warned = env.rt.snapshot().messages.filter((m) => m.text.includes('resends every event'));
    expect(warned).toHaveLength(1);
    expect(warned[0]!.level).toBe('warn');
  });

  it('a frame past a quarter of max-frame restarts the stream at once (a restart, no error): every event once, no frame near max-frame', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20, cumulative: true }).start();
    env = await liveEnv(stalwartToml('node1', server.url, 'max-frame = 65536'));
    const rounds = 24;
    for (let round = 0; round < rounds; round++) {
      server.emit(traffic(10, round + 1, round * 100));
      await waitFor(() => env!.probes().length >= 10 * (round + 1), 10_000, `round ${round} logged`);
      // A restart loses what the server emits in its gap: the next round waits for the new stream.
      await settled(server, env);
    }
    await env.rt.idle();
    const probes = env.probes();
    expect(probes).toHaveLength(10 * rounds);
    expect([...probes].sort((x, y) => x - y)).toEqual(range(0, rounds).flatMap((r) => range(r * 100, 10)));
    const s = src(env);
    // 240 elements of about 360 bytes: restarted at 16 KiB, some five times.
    expect(s.details.restarts).toBeGreaterThanOrEqual(3);
    expect(s.details.restarts).toBe(server.traceStreamsOpened - 1);
    expect(s.details).toMatchObject({ reconnects: 0, oversizeFrames: 0, cutFrames: 0, malformedFrames: 0 });
    expect(s.errors).toBe(0);
    expect(server.largestFrame).toBeLessThan(16384 + 10 * 1024);
    expect(s.details.repeats).toBe(`Stalwart v0.16 resends every event in every frame: repeats skipped, stream restarted ${String(s.details.restarts)} times`);
    // Each restart asked for a fresh token.
    const streams = server.requests.filter((r) => r.path === '/api/live/tracing');
    expect(new Set(streams.map((r) => r.query.token)).size).toBe(streams.length);
  });

  it('a v0.16 server that sends disjoint frames is unaffected: nothing skipped, no restart, no note', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20, pingMs: 400 }).start();
    env = await liveEnv(stalwartToml('node1', server.url, 'max-frame = 65536'));
    for (let round = 0; round < 24; round++) {
      server.emit(traffic(10, round + 1, round * 100));
      await waitFor(() => env!.probes().length >= 10 * (round + 1), 10_000, `round ${round} logged`);
    }
    const pings = server.pings;
    await waitFor(() => server!.pings >= pings + 2, 10_000, 'idle pings');
    await env.rt.idle();
    expect(new Set(env.probes()).size).toBe(240);
    expect(env.probes()).toHaveLength(240);
    await waitFor(() => src(env!).details.frames === server!.frames, 5_000, 'frames in the status');
    const s = src(env);
    expect(s.details).toMatchObject({ repeatFrames: 0, restarts: 0 });
    expect(s.details.repeats).toBeUndefined();
    expect(server.traceStreamsOpened).toBe(1);
    expect(env.rt.snapshot().messages.some((m) => m.text.includes('resends every event'))).toBe(false);
  });
});
