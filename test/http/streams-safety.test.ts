import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sameSecret } from '../../src/http/auth.js';
import { STREAM_ROUTES } from '../../src/http/stream-routes.js';
import { curl, openEventSource, rawGet, startStreamPeer, tev, type StreamPeer } from '../helpers/stream-peer.js';
import { waitFor } from '../helpers/wait.js';

const TOKEN = 'bearer-secret-123';
let peer: StreamPeer | undefined;
const closers: (() => void)[] = [];

afterEach(async () => {
  vi.useRealTimers();
  for (const c of closers.splice(0)) c();
  await peer?.close();
  peer = undefined;
});

/** Waits on I/O only (setImmediate is left real under the fake timers used here). */
async function until(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500_000; i++) {
    if (pred()) return;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`until: ${what}`);
}

describe('ping', () => {
  it('sends event: ping {"interval": 30000} after 30 s without a frame (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    peer = await startStreamPeer();
    const client = await rawGet(peer.http.url + STREAM_ROUTES.streams015.tracing);
    closers.push(() => client.req.destroy());
    await until(() => peer!.streams.clientCount === 1, 'client registered');
    expect(client.res.headers['content-type']).toBe('text/event-stream');
    expect(client.res.headers['cache-control']).toBe('no-store');
    vi.advanceTimersByTime(29_000);
    await new Promise((r) => setImmediate(r));
    expect(client.body()).toBe('');
    vi.advanceTimersByTime(1_000);
    await until(() => client.body().length > 0, 'first ping');
    expect(client.body()).toBe('event: ping\ndata: {"interval": 30000}\n\n');

    // A trace frame counts as traffic: the next ping comes 30 s after it.
    vi.advanceTimersByTime(10_000);
    peer.emit(tev('auth.success', { accountName: 'a' }));
    await until(() => client.body().includes('event: trace'), 'trace frame');
    vi.advanceTimersByTime(29_000);
    await new Promise((r) => setImmediate(r));
    expect(client.body().match(/event: ping/g)).toHaveLength(1);
    vi.advanceTimersByTime(1_000);
    await until(() => client.body().match(/event: ping/g)?.length === 2, 'second ping');
  });
});

describe('live metrics', () => {
  it('sends the first snapshot at once, then one per interval; counters, gauges, histograms as docs/stalwart.md §4', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    peer = await startStreamPeer();
    peer.emit(tev('smtp.connection-start', { remoteIp: '192.0.2.1' }, { spanId: '5' }));
    peer.emit(tev('smtp.connection-end', { elapsed: 300 }, { spanId: '5' }));
    peer.emit(tev('auth.success', { accountName: 'a' }));
    peer.emit(tev('auth.success', { accountName: 'a' }));
    const client = await rawGet(peer.http.url + STREAM_ROUTES.streams015.metrics + '?interval=2');
    closers.push(() => client.req.destroy());
    await until(() => client.body().includes('\n\n'), 'first metrics frame');
    const first = /^event: metrics\ndata: (.*)\n\n$/.exec(client.body());
    expect(first).not.toBeNull();
    const arr = JSON.parse(first![1]!) as Record<string, unknown>[];
    expect(arr).toContainEqual({ id: 'auth.success', type: 'counter', value: 2 });
    expect(arr).toContainEqual({ id: 'smtp.connection-start', type: 'counter', value: 1 });
    expect(arr).toContainEqual({ id: 'smtp.active-connections', type: 'gauge', value: 0 });
    expect(arr).toContainEqual({ id: 'smtp.request-time', type: 'histogram', count: 1, sum: 300 });
    const kinds = arr.map((e) => e.type);
    expect(kinds).toEqual([...kinds].sort((a, b) => ['counter', 'gauge', 'histogram'].indexOf(a as string) - ['counter', 'gauge', 'histogram'].indexOf(b as string)));
    expect(arr.some((e) => e.type === 'counter' && e.value === 0)).toBe(false);

    peer.emit(tev('auth.success', { accountName: 'a' }));
    vi.advanceTimersByTime(1_999);
    await new Promise((r) => setImmediate(r));
    expect(client.body().match(/event: metrics/g)).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await until(() => client.body().match(/event: metrics/g)?.length === 2, 'second frame');
    expect(client.body()).toContain('{"id":"auth.success","type":"counter","value":3}');
  });

  it('metrics= filters counters by event name and gauges/histograms by metric name; interval below 1 is 30 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    peer = await startStreamPeer();
    peer.emit(tev('auth.success', { accountName: 'a' }));
    peer.emit(tev('auth.failed', { accountName: 'a' }));
    peer.emit(tev('smtp.connection-start', {}, { spanId: '5' }));
    const client = await rawGet(peer.http.url + STREAM_ROUTES.streams015.metrics + '?interval=0&metrics=auth.failed,smtp.active-connections,queue.count,nonsense');
    closers.push(() => client.req.destroy());
    await until(() => client.body().includes('\n\n'), 'first metrics frame');
    const arr = JSON.parse(/^event: metrics\ndata: (.*)\n\n$/.exec(client.body())![1]!) as unknown[];
    expect(arr[0]).toEqual({ id: 'auth.failed', type: 'counter', value: 1 });
    expect(arr.slice(1)).toHaveLength(2);
    expect(arr.slice(1)).toEqual(expect.arrayContaining([{ id: 'queue.count', type: 'gauge', value: 0 }, { id: 'smtp.active-connections', type: 'gauge', value: 1 }]));
    vi.advanceTimersByTime(29_999);
    await new Promise((r) => setImmediate(r));
    expect(client.body().match(/event: metrics/g)).toHaveLength(1);
    vi.advanceTimersByTime(1);
    await until(() => client.body().match(/event: metrics/g)?.length === 2, 'frame after 30 s');
  });
});

describe('auth', () => {
  it('401 without auth, with a forged token, an expired token, and a metrics token on the tracing stream', async () => {
    let clock = Date.now();
    peer = await startStreamPeer({ auth: { token: TOKEN } }, () => clock);
    const base = peer.http.url;
    const trace = base + STREAM_ROUTES.streams016.tracing;
    // Each failure a second apart: the log keeps one message per second.
    expect((await curl(trace)).status).toBe(401);
    clock += 1_000;
    expect((await curl(trace, ['-H', 'Authorization: Bearer nope'])).status).toBe(401);
    clock += 1_000;
    expect((await curl(`${trace}?token=forged-${'x'.repeat(40)}`)).status).toBe(401);
    const metricsToken = (await curl(base + STREAM_ROUTES.tokens016.metrics, ['-H', `Authorization: Bearer ${TOKEN}`])).body;
    clock += 1_000;
    expect((await curl(`${trace}?token=${metricsToken}`)).status).toBe(401);
    const tracingToken = (await curl(base + STREAM_ROUTES.tokens016.tracing, ['-H', `Authorization: Bearer ${TOKEN}`])).body;
    clock += 60_000; // the token's whole life (and the log's one-second spacing)
    expect((await curl(`${trace}?token=${tracingToken}`)).status).toBe(401);
    // Tokens only open the two stream routes: not the token routes themselves.
    const fresh = (await curl(base + STREAM_ROUTES.tokens015.tracing, ['-H', `Authorization: Bearer ${TOKEN}`])).body;
    clock += 1_000;
    expect((await curl(`${base}${STREAM_ROUTES.tokens015.tracing}?token=${JSON.parse(fresh).data}`)).status).toBe(401);
    const log = peer.messages.join('\n');
    expect(log).toContain('expired token');
    expect(log).toContain('token not valid for the tracing stream');
    expect(log).toContain('unknown token');
    expect(log).not.toContain(TOKEN);
    expect(log).not.toContain(metricsToken);
    expect(peer.streams.status().details.authFailures).toBe(6);
  });

  it('a valid token opens the stream even with a wrong header; Bearer and Basic both work on the stream routes', async () => {
    peer = await startStreamPeer({ auth: { token: TOKEN, basic: { username: 'admin', secret: 's3cret' } } });
    const route = peer.http.url + STREAM_ROUTES.streams015.tracing;
    const a = openEventSource(route, { authorization: `Bearer ${TOKEN}` });
    const b = openEventSource(route, { authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}` });
    closers.push(() => a.es.close(), () => b.es.close());
    await Promise.all([a.opened, b.opened]);
    await waitFor(() => peer!.streams.clientCount === 2, 5_000, 'two clients');
  });

  it('secrets compare in constant time over any lengths', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abd')).toBe(false);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', 'a'.repeat(1000))).toBe(false);
  });
});

describe('limits', () => {
  it('answers 503 over http.max-clients, and takes a client again once one leaves', async () => {
    peer = await startStreamPeer({ maxClients: 2 });
    const route = peer.http.url + STREAM_ROUTES.streams016.tracing;
    const a = await rawGet(route);
    const b = await rawGet(peer.http.url + STREAM_ROUTES.streams016.metrics);
    closers.push(() => b.req.destroy());
    expect(a.res.statusCode).toBe(200);
    const third = await curl(route);
    expect(third.status).toBe(503);
    expect(third.body).toContain('http.max-clients = 2');
    a.req.destroy();
    await waitFor(() => peer!.streams.clientCount === 1, 5_000, 'a left');
    const c = await rawGet(route);
    closers.push(() => c.req.destroy());
    expect(c.res.statusCode).toBe(200);
    expect(peer.streams.status().details.clientsRefused).toBe(1);
  });

  it('404 for unknown routes, 405 for wrong methods, 414 for long URLs, 431 for huge headers', async () => {
    peer = await startStreamPeer();
    const base = peer.http.url;
    expect((await curl(base + '/api/live/nothing')).status).toBe(404);
    expect((await curl(base + STREAM_ROUTES.streams016.tracing, ['-X', 'POST'])).status).toBe(405);
    expect((await curl(`${base}${STREAM_ROUTES.streams016.tracing}?filter=${'a'.repeat(9_000)}`)).status).toBe(414);
    expect((await curl(base + STREAM_ROUTES.tokens016.tracing, ['-H', `X-Big: ${'b'.repeat(20_000)}`])).status).toBe(431);
  });

  it('switched off: open streams end, new ones get 503, tokens are still issued; switched on: streams open again', async () => {
    peer = await startStreamPeer();
    const client = await rawGet(peer.http.url + STREAM_ROUTES.streams015.tracing);
    const ended = new Promise<void>((r) => client.res.on('end', () => r()));
    await waitFor(() => peer!.streams.clientCount === 1, 5_000, 'client registered');
    peer.streams.setEnabled(false);
    await ended;
    expect(peer.streams.status()).toMatchObject({ enabled: false, state: 'disabled' });
    expect((await curl(peer.http.url + STREAM_ROUTES.streams015.tracing)).status).toBe(503);
    expect((await curl(peer.http.url + STREAM_ROUTES.tokens016.tracing)).status).toBe(200);
    peer.streams.setEnabled(true);
    const again = await rawGet(peer.http.url + STREAM_ROUTES.streams015.tracing);
    closers.push(() => again.req.destroy());
    expect(again.res.statusCode).toBe(200);
  });

  it('cuts a client that stops reading once its buffer is full, and counts it', async () => {
    peer = await startStreamPeer({ clientBufferBytes: 65_536 });
    const sock = net.connect(peer.http.address.port, '127.0.0.1');
    closers.push(() => sock.destroy());
    await new Promise<void>((r) => sock.once('connect', () => r()));
    sock.write(`GET ${STREAM_ROUTES.streams015.tracing} HTTP/1.1\r\nHost: x\r\n\r\n`);
    sock.pause();
    await waitFor(() => peer!.streams.clientCount === 1, 5_000, 'client registered');
    const reader = await rawGet(peer.http.url + STREAM_ROUTES.streams016.tracing);
    closers.push(() => reader.req.destroy());
    await waitFor(() => peer!.streams.clientCount === 2, 5_000, 'reader registered');
    const big = 'x'.repeat(1_000);
    let sent = 0;
    const end = Date.now() + 20_000;
    while (peer.streams.status().details.clientsDropped === 0 && Date.now() < end) {
      for (let i = 0; i < 100; i++) peer.emit(tev('auth.success', { accountName: big }));
      sent += 100;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(peer.streams.status().details.clientsDropped).toBe(1);
    expect(peer.streams.clientCount).toBe(1);
    expect(peer.messages.join('\n')).toMatch(/stopped reading/);
    // The reading client goes on receiving everything.
    await waitFor(() => (reader.body().match(/"event":"auth.success"/g)?.length ?? 0) === sent, 20_000, 'reader got every event');
  });
});
