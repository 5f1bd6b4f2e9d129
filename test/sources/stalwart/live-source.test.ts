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

/** Each generation's stream and token routes, and its element shape (the test server speaks it). */
const GENERATIONS = [
  { api: 'v0.16', stream: '/api/live/tracing', token: '/api/token/tracing' },
  { api: 'v0.15', stream: '/api/telemetry/traces/live', token: '/api/telemetry/live/tracing-token' },
] as const;

describe.each(GENERATIONS)('Stalwart $api live source into a log sink', ({ api, stream, token }) => {
  it('Basic auth: every event sent once in the log, a malformed frame skipped and counted, a cut frame discarded and counted', async () => {
    server = await new StalwartTestServer({ api, batchMs: 20 }).start();
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
    expect(src.details).toMatchObject({ phase: 'streaming', api, malformedFrames: 1, cutFrames: 1 });
    expect(src.events).toBe(600);
    expect(src.errors).toBe(2);
    expect(env.lines().every((l) => !l.includes('spanId'))).toBe(true);
    // The tokens: one per connection, each fresh.
    const streams = server.requests.filter((r) => r.path === stream);
    expect(streams.length).toBe(2);
    expect(new Set(streams.map((r) => r.query.token)).size).toBe(2);
    expect(streams.every((r) => r.auth === 'token')).toBe(true);
    expect(server.requests.filter((r) => r.path === token && r.status === 200).every((r) => r.auth === 'basic')).toBe(true);
  });

  it('span keys come back as the span: a log line prints them once, before the event own keys', async () => {
    server = await new StalwartTestServer({ api, batchMs: 20 }).start();
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

  it('a nested event value (v0.15: with its text and details, docs/stalwart.md §0; v0.16: tagged "Event") arrives as {type, data}', async () => {
    server = await new StalwartTestServer({ api, batchMs: 20 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    const [outer, inner] = [EVENTS.find((e) => e.level === 'error')!.name, EVENTS.find((e) => e.level === 'warn')!.name];
    const ev = { ...traffic(1, 1, 7)[0]!, type: outer, data: { probe: 7, reason: { type: inner, data: { details: 'boom', code: 5 } } }, span: undefined };
    server.emit([ev]);
    await waitFor(() => env!.probes().length === 1, 10_000, 'logged');
    expect(env.rt.recentEvents()[0]!.data).toEqual({ probe: 7, reason: { type: inner, data: { details: 'boom', code: 5 } } });
    expect(env.rt.snapshot().sources[0]!.errors).toBe(0);
  });
});

describe('Stalwart live source: the generations', () => {
  it('a v0.16 frame as Stalwart writes it (registry TraceEvent: keyValues list, @type values, spanId among the keys) into the log', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    // u64 span ids past 2^53, as crates/common/src/telemetry/tracers/mod.rs map_value tags them.
    const span = '{"@type":"UnsignedInt","value":18446744073709551557}';
    server.emitRaw([
      `{"event":"smtp.connection-start","timestamp":"2026-01-01T10:00:00Z","keyValues":{"0":{"key":"spanId","value":${span}},"1":{"key":"listenerId","value":{"@type":"String","value":"smtp"}},"2":{"key":"localPort","value":{"@type":"UnsignedInt","value":25}},"3":{"key":"remoteIp","value":{"@type":"IpAddr","value":"192.0.2.7"}},"4":{"key":"remotePort","value":{"@type":"UnsignedInt","value":40000}}}}`,
      `{"event":"smtp.rcpt-to","timestamp":"2026-01-01T10:00:01Z","keyValues":{"0":{"key":"spanId","value":${span}},"1":{"key":"to","value":{"@type":"String","value":"a@example.org"}},"2":{"key":"result","value":{"@type":"Event","event":"smtp.mailbox-does-not-exist","value":{"0":{"key":"code","value":{"@type":"Integer","value":-5}}}}},"3":{"key":"elapsed","value":{"@type":"Duration","value":12}},"4":{"key":"details","value":{"@type":"List","value":{"0":{"@type":"Float","value":0.5},"1":{"@type":"Boolean","value":true}}}},"5":{"key":"expires","value":{"@type":"UTCDateTime","value":"2026-01-02T00:00:00Z"}},"6":{"key":"reason","value":{"@type":"Null"}}}}`,
    ]);
    await waitFor(() => env!.lines().length === 2, 10_000, 'two lines');
    const [start, rcpt] = env.rt.recentEvents();
    expect(start).toMatchObject({ type: 'smtp.connection-start', spanId: '18446744073709551557', createdAt: Date.UTC(2026, 0, 1, 10), data: { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.7', remotePort: 40000 } });
    expect(rcpt).toMatchObject({ type: 'smtp.rcpt-to', spanId: '18446744073709551557', createdAt: Date.UTC(2026, 0, 1, 10, 0, 1) });
    expect(rcpt!.data).toEqual({
      to: 'a@example.org',
      result: { type: 'smtp.mailbox-does-not-exist', data: { code: -5 } },
      elapsed: 12,
      details: [0.5, true],
      expires: '2026-01-02T00:00:00Z',
    });
    // The span found by its id: its keys printed once, in front, as for a replay.
    expect(rcpt!.span).toEqual(start!.data);
    expect(env.lines()[1]).toContain('remoteIp = 192.0.2.7, remotePort = 40000, to = "a@example.org"');
    expect(env.rt.snapshot().sources[0]!.errors).toBe(0);
  });

  it('a v0.16 element that cannot be read is counted and skipped with its reason; the rest of the frame goes on', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    server.emitRaw([
      '{"event":"smtp.ehlo","timestamp":"2026-01-01T10:00:00Z","keyValues":{"0":{"key":"domain","value":{"@type":"Blob","value":"x"}}}}',
      '{"event":"smtp.ehlo","timestamp":"2026-01-01T10:00:00Z","keyValues":{"0":{"key":"domain","value":{"@type":"String","value":"ok.example"}}}}',
    ]);
    await waitFor(() => env!.lines().length === 1 && env!.rt.snapshot().sources[0]!.errors === 1, 10_000, 'one line, one error');
    expect(env.lines()[0]).toContain('domain = "ok.example"');
    expect(env.rt.snapshot().sources[0]!.lastError?.message).toContain('smtp.ehlo: domain: unknown value type "Blob"');
  });

  it('filters go to either server as written; under v0.16 a key of more than one word is named in the status as ignored by the server, and warned about once', async () => {
    for (const api of ['v0.16', 'v0.15'] as const) {
      const srv = await new StalwartTestServer({ api, batchMs: 20 }).start();
      const e = await liveEnv(stalwartToml('node1', srv.url, 'filter = "x"\nfilters.remote-ip = "10.0."\nfilters.domain = "example"'));
      try {
        srv.emit(traffic(5, 1, 0));
        await waitFor(() => e.probes().length === 5, 10_000, `${api} streaming`);
        const req = srv.requests.find((r) => r.path.endsWith(api === 'v0.16' ? '/live/tracing' : '/traces/live'))!;
        expect(req.query).toMatchObject({ filter: 'x', 'remote-ip': '10.0.', domain: 'example' });
        const details = sourceOf(e).details;
        const text = 'filters.remote-ip: a v0.16 server cannot filter on a key of more than one word and ignores it, so the stream is not filtered by it';
        if (api === 'v0.16') expect(details.filtersIgnored).toBe(text);
        else expect(details.filtersIgnored).toBeUndefined();
        // A runtime message (the console's status line, stderr headless), once per source, not an error.
        srv.emit(traffic(5, 2, 5));
        await waitFor(() => e.probes().length === 10, 10_000, `${api} second batch`);
        const messages = e.rt.snapshot().messages.filter((m) => m.text.includes('more than one word'));
        // The config's own warning (api = "auto": it may apply), then the source's once it met a v0.16 server.
        expect(messages[0]!.text).toMatch(/^live\.toml:\d+: source\.node1\.filters\.remote-ip: if the server is v0\.16 \(api = "auto"\): /);
        expect(messages.slice(1).map((m) => [m.level, m.text])).toEqual(api === 'v0.16' ? [['warn', `source node1: ${text}`]] : []);
        expect(sourceOf(e).errors).toBe(0);
      } finally {
        await e.close();
        await srv.stop();
      }
    }
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
