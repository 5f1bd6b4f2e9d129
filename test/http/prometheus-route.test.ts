import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { eventInfo } from '../../src/catalogue/index.js';
import { addPrometheusRoute, basicAuthMatches } from '../../src/http/prometheus-route.js';
import { parseListen, startHttpServer, type HttpServer } from '../../src/http/server.js';
import { createMetrics, type Metrics } from '../../src/metrics/index.js';
import type { EventData, TelemetryEvent } from '../../src/runtime/event.js';

interface PromFamily {
  name: string;
  help: string;
  type: string;
  metrics: { value?: string; buckets?: Record<string, string>; count?: string; sum?: string }[];
}
const parse = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => PromFamily[];

let seq = 0;
function ev(type: string, data: EventData = {}): TelemetryEvent {
  return { seq: ++seq, type, level: eventInfo(type)?.level ?? 'info', createdAt: Date.now(), data, text: '' };
}

function fed(): Metrics {
  const m = createMetrics({ disabledEvents: [] });
  for (let i = 0; i < 4; i++) m.observe(ev('smtp.connection-start'));
  for (const elapsed of [100, 250, 600, 4000]) m.observe(ev('smtp.connection-end', { elapsed }));
  for (const size of [400, 2048, 2048, 20 * 1024 * 1024]) m.observe(ev('queue.queue-message', { size }));
  m.observe(ev('delivery.attempt-start'));
  m.setGauge('user.count', 7);
  return m;
}

describe('HTTP listener and GET /metrics/prometheus', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

  it('serves the scrape without auth when none is configured', async () => {
    server = await startHttpServer('127.0.0.1:0');
    expect(addPrometheusRoute(server, fed(), { enable: true })).toBe(true);
    const r = await fetch(`${server.url}/metrics/prometheus`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4');
    expect(parse(await r.text()).find((f) => f.name === 'smtp_connection_start')!.metrics[0]!.value).toBe('4');
  });

  it('requires exactly the configured Basic user and secret (200/401)', async () => {
    server = await startHttpServer('127.0.0.1:0');
    addPrometheusRoute(server, fed(), { enable: true, username: 'prom', secret: 's3cr:et' });
    const url = `${server.url}/metrics/prometheus`;
    const ok = await fetch(url, { headers: basic('prom', 's3cr:et') });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/^smtp_connection_start 4$/m);
    for (const headers of [{}, basic('prom', 'wrong'), basic('other', 's3cr:et'), { authorization: 'Bearer s3cr:et' }]) {
      const r = await fetch(url, { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('www-authenticate')).toMatch(/^Basic realm="mailtel"/);
    }
    expect(basicAuthMatches(basic('prom', 's3cr:et').authorization, 'prom', 's3cr:et')).toBe(true);
  });

  it('answers 404 when Prometheus is disabled, 404 for unknown paths, 405 for other methods', async () => {
    server = await startHttpServer('127.0.0.1:0');
    expect(addPrometheusRoute(server, fed(), { enable: false })).toBe(false);
    expect((await fetch(`${server.url}/metrics/prometheus`)).status).toBe(404);
    addPrometheusRoute(server, fed(), { enable: true });
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
    const r = await fetch(`${server.url}/metrics/prometheus`, { method: 'POST', body: 'x' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET');
  });

  it('routes exact paths and prefixes, and survives a throwing handler', async () => {
    server = await startHttpServer('127.0.0.1:0');
    server.addRoute('GET', '/api/*', (_req, res, url) => void res.end(`prefix ${url.pathname}`));
    server.addRoute('GET', '/api/exact', (_req, res) => void res.end('exact'));
    server.addRoute('GET', '/boom', () => {
      throw new Error('kaput');
    });
    server.addRoute('GET', '/async-boom', async () => {
      throw new Error('later');
    });
    expect(await (await fetch(`${server.url}/api/exact`)).text()).toBe('exact');
    expect(await (await fetch(`${server.url}/api/x/y?z=1`)).text()).toBe('prefix /api/x/y');
    expect((await fetch(`${server.url}/boom`)).status).toBe(500);
    expect((await fetch(`${server.url}/async-boom`)).status).toBe(500);
    server.removeRoute('GET', '/api/exact');
    expect(await (await fetch(`${server.url}/api/exact`)).text()).toBe('prefix /api/exact');
  });

  it('parses http.listen forms and refuses a port in use', async () => {
    expect(parseListen('0.0.0.0:8080')).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(parseListen('[::1]:9090')).toEqual({ host: '::1', port: 9090 });
    expect(parseListen(':8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(parseListen('8080')).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(() => parseListen('localhost')).toThrow(/expected host:port/);
    server = await startHttpServer('127.0.0.1:0');
    await expect(startHttpServer(`127.0.0.1:${server.address.port}`)).rejects.toThrow(/EADDRINUSE/);
  });
});
