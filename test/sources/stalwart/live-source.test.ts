import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS } from '../../../src/catalogue/index.js';
import { StalwartTestServer } from '../../helpers/stalwart-server.js';
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

const sourceOf = (e: LiveEnv, id = 'node1') => e.rt.snapshot().sources.find((s) => s.id === id)!;

describe('Stalwart live source into a log sink', () => {
  it('v0.16 with Basic auth: every event sent once in the log, a malformed frame skipped and counted, a cut frame discarded and counted', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    const a = traffic(300, 1, 0);
    server.emit(a);
    await waitFor(() => server!.sent >= 300, 10_000, 'first 300 sent');
    server.sendMalformed();
    await waitFor(() => server!.malformedSent === 1, 5_000, 'malformed frame sent');
    server.cutNextFrame();
    server.emit(traffic(100, 2, 1000));
    await waitFor(() => server!.cutFrames === 1, 5_000, 'frame cut');
    server.emit(traffic(300, 3, 2000));
    await waitFor(() => server!.sent >= 600, 15_000, 'all sent after the reconnect');
    await waitFor(() => env!.probes().length >= 600, 10_000, '600 lines logged');
    await env.rt.idle();
    const probes = env.probes();
    expect(probes).toHaveLength(600);
    expect(new Set(probes).size).toBe(600);
    expect([...probes].sort((x, y) => x - y)).toEqual([...range(0, 300), ...range(2000, 300)]);
    await waitFor(() => sourceOf(env!).details.frames === server!.frames, 5_000, 'frames in the status');
    const src = sourceOf(env);
    expect(src.details).toMatchObject({ phase: 'streaming', api: 'v0.16', malformedFrames: 1, cutFrames: 1 });
    expect(src.events).toBe(600);
    expect(src.errors).toBe(2);
    expect(env.lines().every((l) => !l.includes('spanId'))).toBe(true);
    // The tokens: one per connection, each fresh.
    const streams = server.requests.filter((r) => r.path === '/api/live/tracing');
    expect(streams.length).toBe(2);
    expect(new Set(streams.map((r) => r.query.token)).size).toBe(2);
    expect(streams.every((r) => r.auth === 'token')).toBe(true);
    expect(server.requests.filter((r) => r.path === '/api/token/tracing').every((r) => r.auth === 'basic')).toBe(true);
  });

  it('span keys come back as the span: a log line prints them once, before the event own keys', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    const events = traffic(200, 4, 0);
    server.emit(events);
    await waitFor(() => env!.probes().length >= 200, 10_000, '200 lines');
    const child = events.find((e) => e.span !== undefined && Object.keys(e.data).length > 1)!;
    const probe = child.data.probe as number;
    const line = env.lines().find((l) => new RegExp(` probe = ${probe}(,|$)`).test(l) && l.includes(`(${child.type})`))!;
    const spanKey = Object.keys(child.span!).find((k) => k !== 'probe' && k !== 'spanId' && !(k in child.data))!;
    expect(line.split(`${spanKey} = `)).toHaveLength(2);
    expect(line.indexOf(`${spanKey} = `)).toBeLessThan(line.lastIndexOf(` probe = ${probe}`));
    const ev = env.rt.recentEvents().find((e) => e.data.probe === child.data.probe)!;
    expect(ev.span).toMatchObject({ [spanKey]: child.span![spanKey] });
    expect(Object.keys(ev.data)).toEqual(Object.keys(child.data).filter((k) => k !== 'spanId'));
    expect(ev.source).toBe('node1');
  });

  it('a nested event value (with its text and details on the wire, docs/stalwart.md §0) arrives as {type, data}', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    const [outer, inner] = [EVENTS.find((e) => e.level === 'error')!.name, EVENTS.find((e) => e.level === 'warn')!.name];
    const ev = { ...traffic(1, 1, 7)[0]!, type: outer, data: { probe: 7, reason: { type: inner, data: { details: 'boom', code: 5 } } }, span: undefined };
    server.emit([ev]);
    await waitFor(() => env!.probes().length === 1, 10_000, 'logged');
    expect(env.rt.recentEvents()[0]!.data).toEqual({ probe: 7, reason: { type: inner, data: { details: 'boom', code: 5 } } });
    expect(env.rt.snapshot().sources[0]!.errors).toBe(0);
  });

  it('v0.15 with Bearer auth under api = "auto": 404 on v0.16, v0.15 used and remembered for later tokens', async () => {
    server = await new StalwartTestServer({ api: 'v0.15', batchMs: 20, apiKeys: ['api-key-1'] }).start();
    env = await liveEnv(`[source.node1]\ntype = "stalwart"\nurl = "${server.url}"\nauth.token = "api-key-1"\nmetrics = false\n`);
    server.emit(traffic(50, 5, 0));
    await waitFor(() => env!.probes().length >= 50, 10_000, '50 lines');
    server.dropStreams();
    server.emit(traffic(50, 6, 100));
    await waitFor(() => env!.probes().length >= 100, 15_000, '100 lines');
    const tokenRequests = server.requests.filter((r) => r.path.includes('token'));
    expect(tokenRequests.map((r) => `${r.path} ${r.status} ${r.auth}`)).toEqual([
      '/api/token/tracing 404 bearer',
      '/api/telemetry/live/tracing-token 200 bearer',
      '/api/telemetry/live/tracing-token 200 bearer',
    ]);
    expect(sourceOf(env).details.api).toBe('v0.15');
    expect(new Set(env.probes()).size).toBe(100);
  });

  it('a server restarted mid-stream: reconnect with a fresh token, nothing lost or doubled', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    server.emit(traffic(200, 7, 0));
    await waitFor(() => env!.probes().length >= 200, 10_000, 'before restart');
    await server.restart();
    server.emit(traffic(200, 8, 500));
    await waitFor(() => env!.probes().length >= 400, 20_000, 'after restart');
    await env.rt.idle();
    expect(env.probes()).toHaveLength(400);
    expect(new Set(env.probes()).size).toBe(400);
    expect(server.sent).toBe(400);
    expect(server.tokensIssued).toBeGreaterThanOrEqual(2);
    expect(sourceOf(env).details.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('tokens that expire between reconnects: every connection asks for a new one', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20, tokenTtlMs: 150 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    for (let round = 0; round < 3; round++) {
      server.emit(traffic(30, 10 + round, round * 100));
      await waitFor(() => env!.probes().length >= 30 * (round + 1), 15_000, `round ${round}`);
      await new Promise((r) => setTimeout(r, 200)); // the token of this connection is now stale
      server.expireTokens();
      server.dropStreams();
    }
    const streams = server.requests.filter((r) => r.path === '/api/live/tracing' && r.status === 200);
    expect(streams.length).toBeGreaterThanOrEqual(3);
    expect(new Set(streams.map((r) => r.query.token)).size).toBe(streams.length);
    expect(server.requests.filter((r) => r.status === 401)).toEqual([]);
    expect(new Set(env.probes()).size).toBe(90);
  });
});
