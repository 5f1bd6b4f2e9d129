import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/load-config.js';
import type { StalwartSourceConfig } from '../../../src/sources/config.js';
import { createStalwartSource, type StalwartDeps } from '../../../src/sources/stalwart/index.js';
import { FakeContext, within } from '../../helpers/fake-context.js';
import { StalwartTestServer } from '../../helpers/stalwart-server.js';
import { waitFor } from '../../helpers/wait.js';
import { liveEnv, stalwartToml, traffic, type LiveEnv } from './live-env.js';

let servers: StalwartTestServer[] = [];
let env: LiveEnv | undefined;
afterEach(async () => {
  await env?.close();
  for (const s of servers) await s.stop();
  servers = [];
  env = undefined;
});

async function serve(o: ConstructorParameters<typeof StalwartTestServer>[0]): Promise<StalwartTestServer> {
  const s = await new StalwartTestServer(o).start();
  servers.push(s);
  return s;
}

function config(url: string, extra = ''): StalwartSourceConfig {
  return parseConfig(stalwartToml('node1', url, extra), 't.toml').sources[0] as StalwartSourceConfig;
}

/** A clock that only moves when the source sleeps: retry pacing is checked without waiting. */
function fakeTime(): StalwartDeps & { clock: number; waits: number[] } {
  const t = {
    clock: Date.UTC(2026, 0, 1),
    waits: [] as number[],
    now: () => t.clock,
    random: () => 0.5,
    sleep: (ms: number) => {
      t.waits.push(ms);
      t.clock += ms;
      return new Promise<void>((r) => setTimeout(r, 1));
    },
  };
  return t;
}

describe('Stalwart live source: failures have a state, a reason and a retry time', () => {
  it('auth failed (401): retried no faster than every 10 s, says which keys to check', async () => {
    const time = fakeTime();
    const server = await serve({ api: 'v0.16', now: time.now });
    server.refuseAuth = true;
    const ctx = new FakeContext();
    const run = createStalwartSource(config(server.url), time).run(ctx);
    await waitFor(() => server.requests.length >= 6, 10_000, 'six token requests');
    ctx.stop();
    await within(run, 5_000);
    const asks = server.requests.map((r) => r.at);
    for (let i = 1; i < asks.length; i++) expect(asks[i]! - asks[i - 1]!).toBeGreaterThanOrEqual(10_000);
    expect(time.waits.every((w) => w >= 10_000)).toBe(true);
    const failed = ctx.states.find((s) => s.details?.phase === 'auth failed')!;
    expect(failed.state).toBe('failing');
    expect(failed.details!.reason).toMatch(/^HTTP 401 from \/api\/token\/tracing: check auth\.username\/secret/);
    expect(failed.details!.nextRetryAt).toBeGreaterThanOrEqual(asks[0]! + 10_000);
  });

  it('a v0.16 stream that ends right after its greeting ping is no healthy stream: the backoff keeps growing', async () => {
    const time = fakeTime();
    const server = await serve({ api: 'v0.16', now: time.now });
    server.dropAfterGreeting = true;
    const ctx = new FakeContext();
    const run = createStalwartSource(config(server.url), time).run(ctx);
    await waitFor(() => time.waits.length >= 5, 10_000, 'five reconnects');
    ctx.stop();
    await within(run, 5_000);
    expect(server.pings).toBeGreaterThanOrEqual(5);
    // Backoff with jitter 0.5: 375, 750, 1500, 3000, 6000 ms (a reset would give 375 each time).
    expect(time.waits.slice(0, 5)).toEqual([375, 750, 1500, 3000, 6000]);
  });

  it('not an Enterprise server (404 on both generations): says so, points at the webhook intake, asks again rarely', async () => {
    const time = fakeTime();
    const server = await serve({ api: 'none', now: time.now });
    const ctx = new FakeContext();
    const run = createStalwartSource(config(server.url), time).run(ctx);
    await waitFor(() => server.requests.length >= 4, 10_000, 'two rounds of probes');
    ctx.stop();
    await within(run, 5_000);
    expect(server.requests.slice(0, 4).map((r) => `${r.path} ${r.status}`)).toEqual([
      '/api/token/tracing 404',
      '/api/telemetry/live/tracing-token 404',
      '/api/token/tracing 404',
      '/api/telemetry/live/tracing-token 404',
    ]);
    const s = ctx.states.find((x) => x.details?.phase === 'not enterprise')!;
    expect(s.state).toBe('failing');
    expect(s.details!.reason).toContain('not an Enterprise server');
    expect(s.details!.reason).toContain('source.<id>.type = "webhook"');
    expect(time.waits[0]).toBeGreaterThanOrEqual(60_000);
  });

  it('an oversized frame is refused before it is buffered whole: counted, reconnected, the stream goes on', async () => {
    const server = await serve({ api: 'v0.16', batchMs: 20 });
    env = await liveEnv(stalwartToml('node1', server.url, 'max-frame = 65536'));
    server.emit(traffic(20, 1, 0));
    await waitFor(() => env!.probes().length >= 20, 10_000, 'first events');
    server.sendOversize(1_000_000);
    await waitFor(() => server.oversizeSent === 1, 5_000, 'oversize sent');
    // Frames written before the server notices the dropped connection are lost on the wire.
    await waitFor(() => server.requests.filter((r) => r.path === '/api/live/tracing').length === 2 && server.traceStreams === 1, 10_000, 'reconnected');
    server.emit(traffic(20, 2, 100));
    await waitFor(() => env!.probes().length >= 40, 15_000, 'events after the reconnect');
    const src = env.rt.snapshot().sources[0]!;
    await waitFor(() => env!.rt.snapshot().sources[0]!.details.oversizeFrames === 1, 5_000, 'oversize counted');
    expect(src.lastError?.message ?? env.rt.snapshot().sources[0]!.lastError?.message).toBeDefined();
    expect(env.rt.snapshot().messages.some((m) => m.text.includes('over max-frame (65536 bytes)'))).toBe(true);
    expect(new Set(env.probes()).size).toBe(40);
    expect(server.requests.filter((r) => r.path === '/api/live/tracing')).toHaveLength(2);
  });

  it('a stream silent for twice the ping interval is dead and reconnected', async () => {
    const server = await serve({ api: 'v0.16', batchMs: 20, pingMs: 300 });
    env = await liveEnv(stalwartToml('node1', server.url));
    const src = () => env!.rt.snapshot().sources[0]!;
    await waitFor(() => src().details.pingIntervalMs === 300, 10_000, 'ping interval learned from a ping');
    server.stall(true);
    await waitFor(() => /nothing received for/.test(String(src().details.reason)), 10_000, 'declared dead');
    expect(src().details.reconnects).toBeGreaterThanOrEqual(1);
    server.stall(false);
    await waitFor(() => src().details.phase === 'streaming' && server.traceStreams === 1, 20_000, 'streaming again');
    server.emit(traffic(10, 3, 0));
    await waitFor(() => env!.probes().length >= 10, 10_000, 'events after the dead stream');
  });

  it('two servers as two sources into one log: every event once, each tagged with its source', async () => {
    const a = await serve({ api: 'v0.16', batchMs: 20 });
    const b = await serve({ api: 'v0.15', batchMs: 20 });
    env = await liveEnv(stalwartToml('node1', a.url) + stalwartToml('node2', b.url));
    a.emit(traffic(150, 1, 0));
    b.emit(traffic(150, 2, 10_000));
    await waitFor(() => env!.probes().length >= 300, 15_000, '300 lines');
    await env.rt.idle();
    expect(env.probes()).toHaveLength(300);
    expect(new Set(env.probes()).size).toBe(300);
    const bySource = new Map<string, number>();
    for (const ev of env.rt.recentEvents()) {
      const probe = ev.data.probe as number;
      expect(ev.source).toBe(probe < 10_000 ? 'node1' : 'node2');
      bySource.set(ev.source!, (bySource.get(ev.source!) ?? 0) + 1);
    }
    expect(Object.fromEntries(bySource)).toEqual({ node1: 150, node2: 150 });
    expect(env.rt.snapshot().sources.map((s) => [s.id, s.state, s.details.api])).toEqual([
      ['node1', 'running', 'v0.16'],
      ['node2', 'running', 'v0.15'],
    ]);
  });

  it.each(['v0.16', 'v0.15'] as const)('metrics frames of %s: the server gauges per source, its counters beside what mailtel received', async (api) => {
    const server = await serve({ api, batchMs: 20, metricsSecondMs: 50 });
    const events = traffic(100, 1, 0);
    const type = events[0]!.type;
    const ofType = events.filter((e) => e.type === type).length;
    server.metrics = [
      { id: type, type: 'counter', value: 5000 },
      { id: 'server.memory', type: 'gauge', value: 123456789 },
      { id: 'queue.count', type: 'gauge', value: 7 },
    ];
    env = await liveEnv(stalwartToml('node1', server.url).replace('metrics = false', 'metrics = true\nmetrics-interval = "1s"'));
    await waitFor(() => env!.rt.snapshot().sources[0]!.serverMetrics !== undefined, 10_000, 'first metrics frame');
    server.emit(events);
    await waitFor(() => env!.probes().length >= 100, 10_000, 'events');
    server.metrics = server.metrics.map((m) => (m.id === type ? { ...m, value: 5000 + ofType + 3 } : m));
    await waitFor(() => env!.rt.snapshot().sources[0]!.serverMetrics!.items.find((i) => i.id === type)?.delta === ofType + 3, 10_000, 'counter moved');
    const m = env.rt.snapshot().sources[0]!.serverMetrics!;
    expect(m.items.find((i) => i.id === type)).toEqual({ id: type, type: 'counter', value: 5000 + ofType + 3, delta: ofType + 3, received: ofType });
    expect(m.items.find((i) => i.id === 'server.memory')).toEqual({ id: 'server.memory', type: 'gauge', value: 123456789 });
    expect(env.rt.snapshot().sources[0]!.errors).toBe(0);
    const metricsReq = server.requests.find((r) => r.path === (api === 'v0.16' ? '/api/live/metrics' : '/api/telemetry/metrics/live'))!;
    expect(metricsReq.query.interval).toBe('1');
    expect(metricsReq.query.metrics!.split(',')).toContain('server.memory');
    expect(metricsReq.auth).toBe('token');
  });

  it('a TLS error names itself and allow-invalid-certs; with it set the stream works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailtel-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    const inner = await serve({ api: 'v0.16', batchMs: 20 });
    // A TLS front that forwards to the plain test server.
    const front = createServer({ key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) }, (req, res) => {
      void (async () => {
        try {
          const r = await fetch(`${inner.url}${req.url}`, { headers: req.headers as Record<string, string> });
          res.writeHead(r.status, Object.fromEntries(r.headers));
          for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
          res.end();
        } catch {
          res.destroy();
        }
      })();
    });
    await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
    try {
      const ctx = new FakeContext();
      const time = fakeTime();
      const run = createStalwartSource(config(url), time).run(ctx);
      await waitFor(() => ctx.states.some((s) => s.details?.phase === 'tls error'), 10_000, 'tls error state');
      ctx.stop();
      await within(run, 5_000);
      const s = ctx.states.find((x) => x.details?.phase === 'tls error')!;
      expect(s.state).toBe('failing');
      expect(s.details!.reason).toMatch(/SELF_SIGNED|self.signed|certificate/i);
      expect(s.details!.reason).toContain('allow-invalid-certs');

      env = await liveEnv(stalwartToml('node1', url, 'allow-invalid-certs = true'));
      inner.emit(traffic(10, 1, 0));
      await waitFor(() => env!.probes().length >= 10, 10_000, 'events over TLS');
    } finally {
      front.closeAllConnections();
      await new Promise((r) => front.close(r));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Stalwart live source under backpressure', () => {
  it('a held pipeline gets nothing more until released (events wait in the source and the socket), then every event once', async () => {
    const server = await serve({ api: 'v0.16', batchMs: 5 });
    const ctx = new FakeContext();
    ctx.block();
    const run = createStalwartSource(config(server.url), fakeTime()).run(ctx);
    server.emit(traffic(40_000, 1, 0));
    await waitFor(() => server.sent === 40_000 || ctx.events.length > 0, 20_000, 'streaming started');
    // Held: the source emitted one event and waits; the rest waits in the source or the socket.
    await new Promise((r) => setTimeout(r, 300));
    expect(ctx.events.length).toBe(1);
    ctx.release();
    await waitFor(() => ctx.events.length === server.sent && server.queued === 0, 30_000, 'all delivered');
    ctx.stop();
    await within(run, 5_000);
    const probes = ctx.events.map((e) => e.data.probe as number);
    expect(new Set(probes).size).toBe(40_000);
  });
});
