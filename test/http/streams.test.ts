import { afterEach, describe, expect, it } from 'vitest';
import { eventInfo } from '../../src/catalogue/index.js';
import { STREAM_ROUTES } from '../../src/http/stream-routes.js';
import { curl, openEventSource, rawGet, startStreamPeer, tev, traceFrames, type StreamPeer } from '../helpers/stream-peer.js';
import { waitFor } from '../helpers/wait.js';

/** A v0.16 element's event and plain key values, for the filter tests. */
function fromV016Element(e: unknown): { type: string; data: Record<string, unknown> } {
  const x = e as { event: string; keyValues: Record<string, { key: string; value: { value?: unknown } }> };
  return { type: x.event, data: Object.fromEntries(Object.values(x.keyValues).map((kv) => [kv.key, kv.value.value])) };
}

const TOKEN = 'bearer-secret-123';
let peer: StreamPeer | undefined;
const closers: (() => void)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) c();
  await peer?.close();
  peer = undefined;
});

async function token(base: string, grant: 'tracing' | 'metrics', gen: '0.15' | '0.16'): Promise<string> {
  const route = gen === '0.15' ? STREAM_ROUTES.tokens015[grant] : STREAM_ROUTES.tokens016[grant];
  const r = await curl(base + route, ['-H', `Authorization: Bearer ${TOKEN}`]);
  expect(r.status).toBe(200);
  return gen === '0.15' ? (JSON.parse(r.body) as { data: string }).data : r.body;
}

describe('tokens', () => {
  it('v0.15 answers {"data": token} and v0.16 the token as plain text; each is random and 60 s long', async () => {
    peer = await startStreamPeer({ auth: { token: TOKEN } });
    const base = peer.http.url;
    const a = await curl(base + STREAM_ROUTES.tokens015.tracing, ['-H', `Authorization: Bearer ${TOKEN}`]);
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/^application\/json/);
    expect(Object.keys(JSON.parse(a.body))).toEqual(['data']);
    const b = await curl(base + STREAM_ROUTES.tokens016.metrics, ['-H', `Authorization: Bearer ${TOKEN}`]);
    expect(b.contentType).toMatch(/^text\/plain/);
    expect(b.body).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(b.body).not.toBe(JSON.parse(a.body).data);
    expect(peer.streams.tokens.check(b.body, 'metrics')).toBe('ok');
    expect(peer.streams.tokens.check(b.body, 'tracing')).toBe('wrong-grant');
  });

  it('token routes need the configured auth; failures are logged without the secret, one message a second', async () => {
    let clock = Date.now();
    peer = await startStreamPeer({ auth: { basic: { username: 'admin', secret: 'pw-secret' } } }, () => clock);
    expect((await curl(peer.http.url + STREAM_ROUTES.tokens016.tracing)).status).toBe(401);
    clock += 1_000;
    expect((await curl(peer.http.url + STREAM_ROUTES.tokens016.tracing, ['-u', 'admin:guess-pw-77'])).status).toBe(401);
    const ok = await curl(peer.http.url + STREAM_ROUTES.tokens016.tracing, ['-u', 'admin:pw-secret']);
    expect(ok.status).toBe(200);
    expect(peer.messages.join('\n')).not.toContain('guess-pw-77');
    expect(peer.messages.join('\n')).toContain('wrong username or secret');
    expect(peer.messages.filter((m) => m.includes('401'))).toHaveLength(2);
    // A client guessing in a loop: every attempt counted, one message a second saying how many it left out.
    for (let i = 0; i < 5; i++) expect((await curl(peer.http.url + STREAM_ROUTES.tokens016.tracing, ['-u', `admin:guess-${i}`])).status).toBe(401);
    clock += 1_000;
    expect((await curl(peer.http.url + STREAM_ROUTES.tokens016.tracing)).status).toBe(401);
    const logged = peer.messages.filter((m) => m.includes('401'));
    expect(logged).toHaveLength(3);
    expect(logged[2]).toMatch(/no credentials \(and 5 more failed attempts before\)$/);
    expect(peer.streams.status().details.authFailures).toBe(8);
  });
});

describe('live tracing with the eventsource package', () => {
  const start = () => tev('smtp.connection-start', { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.1' }, { spanId: '77' });
  const ehlo = (span: Record<string, unknown>) =>
    tev('smtp.ehlo', { domain: 'mx.example.org', remoteIp: '198.51.100.9' }, { spanId: '77', span: span as never });

  async function firstFrame(gen: '0.15' | '0.16'): Promise<{ data: string; types: string[] }> {
    peer = await startStreamPeer({ auth: { token: TOKEN } });
    const route = gen === '0.15' ? STREAM_ROUTES.streams015.tracing : STREAM_ROUTES.streams016.tracing;
    const t = await token(peer.http.url, 'tracing', gen);
    const client = openEventSource(`${peer.http.url}${route}?token=${encodeURIComponent(t)}`);
    closers.push(() => client.es.close());
    await client.opened;
    await waitFor(() => peer!.streams.clientCount === 1, 5_000, 'client registered');
    const s = start();
    peer.emit(s);
    peer.emit(ehlo(s.data));
    const frame = await waitFor(() => client.events.find((e) => e.type === 'trace'), 5_000, 'first trace frame');
    return { data: frame.data, types: client.events.map((e) => e.type) };
  }

  it('v0.15: ?token= opens the stream; trace frames hold {text, details, createdAt, type, data}, own keys then span keys', async () => {
    const { data, types } = await firstFrame('0.15');
    const arr = JSON.parse(data) as Record<string, unknown>[];
    expect(arr).toHaveLength(2);
    const text = eventInfo('smtp.ehlo')!.description;
    expect(arr[1]).toEqual({ text, details: text, createdAt: '2025-06-15T18:02:57Z', type: 'smtp.ehlo', data: { domain: 'mx.example.org', remoteIp: '198.51.100.9', listenerId: 'smtp', localPort: 25 } });
    expect(Object.keys(arr[1]!)).toEqual(['text', 'details', 'createdAt', 'type', 'data']);
    expect(Object.keys(arr[1]!.data as object)).toEqual(['domain', 'remoteIp', 'listenerId', 'localPort']);
    expect(JSON.stringify(arr)).not.toMatch(/"id"|spanId/);
    // v0.15 sends nothing before the first event.
    expect(types[0]).toBe('trace');
  });

  it('v0.16: a ping first, then trace frames of registry TraceEvents: own keys only, spanId among them, values @type-tagged', async () => {
    const { data, types } = await firstFrame('0.16');
    expect(types.slice(0, 2)).toEqual(['ping', 'trace']);
    const kv = (key: string, type: string, value: unknown) => `{"key":"${key}","value":{"@type":"${type}","value":${JSON.stringify(value)}}}`;
    // Exactly the bytes crates/http/src/api/telemetry.rs:156 writes: a span start names spanId last, other events first.
    expect(data).toBe(
      '[{"event":"smtp.connection-start","timestamp":"2025-06-15T18:02:57Z","keyValues":{' +
        `"0":${kv('listenerId', 'String', 'smtp')},"1":${kv('localPort', 'UnsignedInt', 25)},"2":${kv('remoteIp', 'IpAddr', '192.0.2.1')},"3":{"key":"spanId","value":{"@type":"UnsignedInt","value":77}}}},` +
        '{"event":"smtp.ehlo","timestamp":"2025-06-15T18:02:57Z","keyValues":{' +
        `"0":{"key":"spanId","value":{"@type":"UnsignedInt","value":77}},"1":${kv('domain', 'String', 'mx.example.org')},"2":${kv('remoteIp', 'IpAddr', '198.51.100.9')}}}]`,
    );
  });

  it('sends the first frame at once and then at most one frame per second, batching what arrives between', async () => {
    peer = await startStreamPeer();
    const client = openEventSource(peer.http.url + STREAM_ROUTES.streams016.tracing);
    closers.push(() => client.es.close());
    await client.opened;
    await waitFor(() => peer!.streams.clientCount === 1, 5_000, 'client registered');
    peer.emit(tev('auth.success', { accountName: 'a' }));
    await waitFor(() => client.events.filter((e) => e.type === 'trace').length === 1, 5_000, 'first frame');
    for (let i = 0; i < 5; i++) {
      peer.emit(tev('auth.success', { accountName: `b${i}` }));
      await new Promise((r) => setTimeout(r, 20));
    }
    await waitFor(() => client.events.filter((e) => e.type === 'trace').length === 2, 5_000, 'second frame');
    const frames = client.events.filter((e) => e.type === 'trace');
    expect(JSON.parse(frames[0]!.data)).toHaveLength(1);
    expect(JSON.parse(frames[1]!.data)).toHaveLength(5);
    expect(frames[1]!.at - frames[0]!.at).toBeGreaterThanOrEqual(900);
  });
});

describe('live metrics with the eventsource package', () => {
  for (const gen of ['0.15', '0.16'] as const) {
    it(`v${gen}: each entry in that generation's exact shape, counters then gauges then histograms`, async () => {
      peer = await startStreamPeer({ auth: { token: TOKEN } });
      peer.emit(tev('smtp.connection-start', { remoteIp: '192.0.2.1' }, { spanId: '5' }));
      peer.emit(tev('smtp.connection-start', { remoteIp: '192.0.2.2' }, { spanId: '6' }));
      peer.emit(tev('smtp.connection-end', { elapsed: 300 }, { spanId: '5' }));
      peer.emit(tev('auth.success', { accountName: 'a' }));
      const route = gen === '0.15' ? STREAM_ROUTES.streams015.metrics : STREAM_ROUTES.streams016.metrics;
      const t = await token(peer.http.url, 'metrics', gen);
      const query = 'metrics=smtp.request-time,auth.success,smtp.active-connections';
      const client = openEventSource(`${peer.http.url}${route}?token=${encodeURIComponent(t)}&${query}`);
      closers.push(() => client.es.close());
      const frame = await waitFor(() => client.events.find((e) => e.type === 'metrics'), 5_000, 'first metrics frame');
      // Stalwart v0.15.5 management/enterprise/telemetry.rs:538-571; v0.16 api/telemetry.rs:235-268.
      expect(frame.data).toBe(
        gen === '0.15'
          ? '[{"id":"auth.success","type":"counter","value":1},{"id":"smtp.active-connections","type":"gauge","value":1},{"id":"smtp.request-time","type":"histogram","count":1,"sum":300}]'
          : '[{"metric":"auth.success","@type":"Counter","count":1},{"metric":"smtp.active-connections","@type":"Gauge","count":1},{"metric":"smtp.request-time","@type":"Histogram","count":1,"sum":300}]',
      );
      // No ping on the metrics stream, in either generation.
      expect(client.events.map((e) => e.type)).toEqual(['metrics']);
    });
  }
});

describe('live tracing filters (Stalwart matching rules)', () => {
  const events = () => [
    tev('smtp.connection-start', { listenerId: 'smtp', remoteIp: '10.0.0.5', localPort: 25 }, { spanId: '1' }),
    tev('smtp.ehlo', { domain: 'a.example' }, { spanId: '1', span: { listenerId: 'smtp', remoteIp: '10.0.0.5', localPort: 25 } }),
    tev('smtp.connection-start', { listenerId: 'smtp', remoteIp: '192.0.2.8', localPort: 25 }, { spanId: '2' }),
    tev('smtp.ehlo', { domain: 'b.example' }, { spanId: '2', span: { listenerId: 'smtp', remoteIp: '192.0.2.8', localPort: 25 } }),
    tev('auth.failed', { accountName: 'bob', remoteIp: '10.0.0.9', tls: true, size: 10 }),
    tev('smtp.connection-end', { elapsed: 5 }, { spanId: '1' }),
    tev('smtp.connection-end', { elapsed: 5 }, { spanId: '2' }),
  ];

  async function run(query: string, marker?: Record<string, string>, gen: '0.15' | '0.16' = '0.15'): Promise<string[]> {
    peer = await startStreamPeer();
    const route = gen === '0.15' ? STREAM_ROUTES.streams015.tracing : STREAM_ROUTES.streams016.tracing;
    const client = await rawGet(`${peer.http.url}${route}?${query}`);
    closers.push(() => client.req.destroy());
    await waitFor(() => peer!.streams.clientCount === 1, 5_000, 'client registered');
    for (const e of events()) peer.emit(e);
    if (marker) peer.emit(tev('server.startup', marker));
    // Everything is emitted in one go, so all that matches arrives in the first frame.
    const body = await client.next((b) => /event: trace\ndata: .*\n\n/.test(b));
    return traceFrames(body).flat().map((e) => {
      const x = gen === '0.15' ? (e as { type: string; data: Record<string, unknown> }) : fromV016Element(e);
      return `${x.type}${x.data.domain ? ':' + String(x.data.domain) : x.data.remoteIp ? ':' + String(x.data.remoteIp) : ''}`;
    });
  }

  it('filter= matches any key by substring, span keys included, and follows the span', async () => {
    expect(await run('filter=10.0.0')).toEqual(['smtp.connection-start:10.0.0.5', 'smtp.ehlo:a.example', 'auth.failed:10.0.0.9', 'smtp.connection-end']);
  });

  it('<key-id>= filters all have to match; names are lower-cased; unknown names (interval, foo) are ignored', async () => {
    expect(await run('Remote-IP=10.0.0&account-name=bo&interval=3&foo=1')).toEqual(['auth.failed:10.0.0.9']);
  });

  it('a key filter alone follows the span of what it matched', async () => {
    expect(await run('domain=b.exa')).toEqual(['smtp.ehlo:b.example', 'smtp.connection-end']);
  });

  it('booleans match exactly true/false', async () => {
    expect(await run('tls=true&filter=nothing-else')).toEqual(['auth.failed:10.0.0.9']);
  });

  it('numbers never match (localPort 25, elapsed 5): only the string marker does', async () => {
    expect(await run('filter=25', { version: 'v25' })).toEqual(['server.startup']);
  });

  it('v0.16 route: names are lower-cased, then looked up as camelCase keys: one-word keys filter, remote-ip and remoteIp are ignored', async () => {
    expect(await run('Domain=b.exa', undefined, '0.16')).toEqual(['smtp.ehlo:b.example', 'smtp.connection-end']);
    await peer!.close();
    // Every key filter ignored and no filter=: the stream is not filtered at all (telemetry.rs:92).
    const all = ['smtp.connection-start:10.0.0.5', 'smtp.ehlo:a.example', 'smtp.connection-start:192.0.2.8', 'smtp.ehlo:b.example', 'auth.failed:10.0.0.9', 'smtp.connection-end', 'smtp.connection-end'];
    expect(await run('remote-ip=10.0.0', undefined, '0.16')).toEqual(all);
    await peer!.close();
    expect(await run('remoteIp=10.0.0&account-name=bo', undefined, '0.16')).toEqual(all);
    await peer!.close();
    // filter= is the same on both generations.
    expect(await run('filter=10.0.0', undefined, '0.16')).toEqual(['smtp.connection-start:10.0.0.5', 'smtp.ehlo:a.example', 'auth.failed:10.0.0.9', 'smtp.connection-end']);
  });
});
