import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/load-config.js';
import { ConfigError } from '../../../src/config/types.js';
import { encodeWebhookBody } from '../../../src/format/json.js';
import { sign } from '../../../src/sources/webhook-intake/verify.js';
import { waitFor } from '../../helpers/wait.js';
import { liveEnv, traffic, type LiveEnv } from '../stalwart/live-env.js';

let env: LiveEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

const KEY = 'fixture-signing-key';

interface Reply {
  status: number;
  body: string;
}

/** POSTs with node:http, so a 413 sent before the whole body is written is still read. */
function post(port: number, body: Buffer | string, headers: Record<string, string> = {}, path = '/in'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', (e) => reject(e));
    req.end(body);
  });
}

async function intake(extra = ''): Promise<{ env: LiveEnv; port: number }> {
  env = await liveEnv(`[source.hook]\ntype = "webhook"\nlisten = "127.0.0.1:0"\npath = "/in"\nsignature-key = "${KEY}"\n${extra}`);
  const port = await waitFor(() => env!.rt.snapshot().sources[0]!.details.port as number, 5_000, 'listening');
  return { env, port };
}

describe('webhook intake', () => {
  it('the signed batches of a fixture are all logged once, span keys folded, source id kept', async () => {
    const { env, port } = await intake();
    const events = traffic(400, 1, 0);
    for (let i = 0; i < events.length; i += 50) {
      const body = encodeWebhookBody(events.slice(i, i + 50), '0.15');
      const r = await post(port, body, { 'X-Signature': sign(body, KEY) });
      expect(r).toEqual({ status: 200, body: 'accepted 50 events\n' });
    }
    await env.rt.idle();
    const probes = env.probes();
    expect(probes).toHaveLength(400);
    expect(new Set(probes).size).toBe(400);
    const child = env.rt.recentEvents().find((e) => e.span !== undefined)!;
    expect(child.source).toBe('hook');
    expect(Object.keys(child.data).some((k) => k in child.span! && k !== 'probe')).toBe(false);
    expect(env.rt.snapshot().sources[0]!.details).toMatchObject({ accepted: 8, events: 400, unauthorized: 0, malformed: 0 });
  });

  it('bad signature 401, no signature 401, malformed 400 with the reason, 20 MiB 413: none of them logged', async () => {
    const { env, port } = await intake();
    const good = encodeWebhookBody(traffic(10, 2, 0), '0.15');
    expect((await post(port, good, { 'X-Signature': sign(good, 'another key') })).status).toBe(401);
    expect(await post(port, good)).toEqual({ status: 401, body: 'no X-Signature header\n' });
    const notJson = '{"events":[{"type":';
    const r400 = await post(port, notJson, { 'X-Signature': sign(notJson, KEY) });
    expect(r400.status).toBe(400);
    expect(r400.body).toMatch(/^not JSON: /);
    const missing = JSON.stringify({ events: [JSON.parse(good).events[0], { type: 'smtp.ehlo', data: {} }] });
    const r400b = await post(port, missing, { 'X-Signature': sign(missing, KEY) });
    expect(r400b).toEqual({ status: 400, body: 'events[1]: missing "createdAt"; nothing from this request was ingested\n' });
    const noEvents = '{"evnts":[]}';
    expect((await post(port, noEvents, { 'X-Signature': sign(noEvents, KEY) })).body).toBe('expected {"events":[...]} (a Stalwart webhook body)\n');
    const huge = Buffer.alloc(20 * 1024 * 1024, 0x20);
    const r413 = await post(port, huge, { 'X-Signature': sign(huge, KEY) });
    expect(r413.status).toBe(413);
    await env.rt.idle();
    expect(env.lines()).toEqual([]);
    expect(env.rt.snapshot().collector.events).toBe(0);
    expect(env.rt.snapshot().sources[0]!.details).toMatchObject({ unauthorized: 2, malformed: 3, tooLarge: 1, events: 0, accepted: 0 });
    // Still serving after all that.
    expect((await post(port, good, { 'X-Signature': sign(good, KEY) })).status).toBe(200);
  });

  it('a body sent without Content-Length is cut off at max-body too', async () => {
    const { env, port } = await intake('max-body = "64kb"');
    const r = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/in', method: 'POST', headers: { 'Transfer-Encoding': 'chunked' } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < 200 && req.write(chunk)) sent++;
        if (sent < 200 && !req.destroyed) req.once('drain', pump);
        else req.end();
      };
      pump();
    }).catch(() => 0);
    expect(r).toBe(413);
    expect(env.rt.snapshot().sources[0]!.details.tooLarge).toBe(1);
  });

  it('unknown event types are ingested and counted, not refused', async () => {
    const { env, port } = await intake();
    const body = JSON.stringify({ events: [{ id: '1', createdAt: '2026-01-01T00:00:00Z', type: 'newer.event-kind', data: { probe: 1 } }] });
    expect((await post(port, body, { 'X-Signature': sign(body, KEY) })).status).toBe(200);
    await env.rt.idle();
    expect(env.probes()).toEqual([1]);
    expect(env.rt.snapshot().sources[0]!.details.unknownTypes).toBe(1);
    expect(env.rt.snapshot().collector.unknownTypes).toBe(1);
  });

  it('auth.token: Bearer checked, missing or wrong is 401', async () => {
    const { port } = await intake('auth.token = "intake-token"');
    const body = encodeWebhookBody(traffic(3, 3, 0), '0.15');
    const sig = { 'X-Signature': sign(body, KEY) };
    expect((await post(port, body, sig)).status).toBe(401);
    expect((await post(port, body, { ...sig, Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(port, body, { ...sig, Authorization: 'Bearer intake-token' })).status).toBe(200);
  });

  it('200 only once the pipeline took the batch: a paused pipeline slows the answer, loses nothing', async () => {
    const { env, port } = await intake();
    env.rt.command({ kind: 'pause', paused: true });
    const body = encodeWebhookBody(traffic(5, 4, 0), '0.15');
    let answered = false;
    const reply = post(port, body, { 'X-Signature': sign(body, KEY) }).then((r) => ((answered = true), r));
    await waitFor(() => env.rt.snapshot().sources[0]!.events >= 1, 5_000, 'first event taken');
    await new Promise((r) => setTimeout(r, 100));
    expect(answered).toBe(false);
    env.rt.command({ kind: 'pause', paused: false });
    expect((await reply).status).toBe(200);
    await env.rt.idle();
    expect(env.probes()).toHaveLength(5);
  });
});

describe('webhook intake config', () => {
  const load = (body: string) => parseConfig(`[source.hook]\ntype = "webhook"\n${body}`, 'm.toml');
  const errors = (body: string) => {
    try {
      load(body);
      return [];
    } catch (e) {
      return (e as ConfigError).issues.map((i) => `${i.line} ${i.key}: ${i.message}`);
    }
  };

  it('defaults: path /, 10 MiB, no signature, no auth', () => {
    expect(load('listen = "127.0.0.1:8686"\n').sources[0]).toMatchObject({ host: '127.0.0.1', port: 8686, path: '/', maxBodyBytes: 10 * 1024 * 1024 });
  });

  it('a non-loopback listener without signature-key or auth is an error naming the key', () => {
    expect(errors('listen = "0.0.0.0:8686"\n')).toEqual([
      '3 source.hook.listen: listening on 0.0.0.0 (not loopback) needs signature-key or auth.*: anyone who reaches the port could inject events',
    ]);
    expect(errors('listen = "0.0.0.0:8686"\nsignature-key = "k"\n')).toEqual([]);
    expect(errors('listen = "[::]:8686"\nauth.token = "t"\n')).toEqual([]);
  });

  it('bad listen, path, size and half an auth pair are errors with line and key', () => {
    expect(errors('listen = "8686"\npath = "in"\nmax-body = "ten"\nauth.username = "u"\n')).toEqual([
      '3 source.hook.listen: expected "host:port" such as "127.0.0.1:8686"; got "8686"',
      '4 source.hook.path: a request path starts with "/"; got "in"',
      '5 source.hook.max-body: expected a size such as 10485760, "10MiB" or "512kb"; got "ten"',
      '6 source.hook.auth.secret: auth.username needs auth.secret',
    ]);
  });
});
