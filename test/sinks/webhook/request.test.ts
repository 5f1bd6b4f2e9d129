import { afterEach, describe, expect, it } from 'vitest';
import { baseHeaders, maskedHeaders, requestHeaders } from '../../../src/sinks/webhook/headers.js';
import { postOnce } from '../../../src/sinks/webhook/request.js';
import { signBody } from '../../../src/sinks/webhook/signature.js';
import { selfSignedCert } from '../../helpers/otlp-receiver.js';
import { startWebhookReceiver, verifySignature, type WebhookReceiver } from '../../helpers/webhook-receiver.js';

let rx: WebhookReceiver | undefined;
afterEach(async () => {
  await rx?.close();
  rx = undefined;
});

const body = Buffer.from('{"events":[{"id":"1750010577551","createdAt":"2025-06-15T18:02:57Z","type":"auth.success","data":{"accountName":"jane"}}]}');

function send(url: string, opts: { key?: string; timeoutMs?: number; allowInvalidCerts?: boolean; headers?: Record<string, string>; auth?: { username: string; secret: string } | { token: string } } = {}) {
  const u = new URL(url);
  const sig = signBody(opts.key, body);
  const headers = requestHeaders(baseHeaders({ headers: opts.headers ?? {}, auth: opts.auth }), u, body.length, sig);
  return postOnce(u, headers, body, { timeoutMs: opts.timeoutMs ?? 5000, allowInvalidCerts: opts.allowInvalidCerts ?? false });
}

describe('one webhook POST on the wire', () => {
  it('sends the exact body, signed, with the headers in Stalwart order', async () => {
    rx = await startWebhookReceiver({ key: 'k€y' });
    const res = await send(rx.url, {
      key: 'k€y',
      headers: { 'X-Tenant': 'acme', 'Content-Type': 'text/plain', 'X-Trace': '1' },
      auth: { username: 'stalwart', secret: 's3cret' },
    });
    expect(res).toMatchObject({ status: 200 });
    expect(res.error).toBeUndefined();
    const p = rx.posts[0]!;
    expect(p.method).toBe('POST');
    expect(p.path).toBe('/hook');
    expect(p.body.equals(body)).toBe(true);
    expect(p.signatureValid).toBe(true);
    expect(p.rawHeaders.map(([n]) => n)).toEqual(['x-tenant', 'content-type', 'x-trace', 'authorization', 'x-signature', 'accept', 'host', 'content-length', 'Connection']);
    const h = Object.fromEntries(p.rawHeaders);
    expect(h['content-type']).toBe('application/json');
    expect(h.authorization).toBe(`Basic ${Buffer.from('stalwart:s3cret').toString('base64')}`);
    expect(h['x-signature']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(verifySignature('k€y', body, h['x-signature'])).toBe(true);
    expect(verifySignature('other', body, h['x-signature'])).toBe(false);
    expect(h['content-length']).toBe(String(body.length));
  });

  it('sends Bearer auth from a token, and no X-Signature without a key', async () => {
    rx = await startWebhookReceiver();
    await send(rx.url, { auth: { token: 'tok' } });
    const h = Object.fromEntries(rx.posts[0]!.rawHeaders);
    expect(h.authorization).toBe('Bearer tok');
    expect(h['x-signature']).toBeUndefined();
    expect(rx.posts[0]!.rawHeaders.map(([n]) => n).slice(0, 2)).toEqual(['authorization', 'content-type']);
  });

  it('masks credentials for display', () => {
    const list = requestHeaders(baseHeaders({ headers: { 'X-Api-Key': 'abcdefgh' }, auth: { username: 'u', secret: 'longsecret' } }), new URL('http://h/'), 2, 'c2lnbmF0dXJlLXZhbHVl');
    const shown = Object.fromEntries(maskedHeaders(list));
    expect(shown['x-api-key']).toBe('****');
    expect(shown.authorization).toMatch(/^Basic \*\*\*\*$/);
    expect(shown['x-signature']).toBe('****');
    expect(shown['content-type']).toBe('application/json');
  });

  it('takes any 2xx as success and every other status as a failure with the canonical reason', async () => {
    rx = await startWebhookReceiver();
    const codes = [204, 299, 500, 413, 302, 404, 599];
    // A 302 without Location cannot be followed: it is the answer.
    rx.answer = (n) => codes[n - 1]!;
    const results = [];
    for (let i = 0; i < codes.length; i++) results.push(await send(rx.url));
    expect(results.map((r) => r.status)).toEqual(codes);
    expect(results[0]!.error).toBeUndefined();
    expect(results[1]!.error).toBeUndefined();
    expect(results[2]!.error).toBe(`Webhook request to ${rx.url} failed with code 500: Internal Server Error`);
    expect(results[3]!.error).toBe(`Webhook request to ${rx.url} failed with code 413: Payload Too Large`);
    expect(results[4]!.error).toBe(`Webhook request to ${rx.url} failed with code 302: Found`);
    expect(results[6]!.error).toBe(`Webhook request to ${rx.url} failed with code 599: Unknown`);
    expect(rx.posts).toHaveLength(codes.length);
  });

  it('bounds the whole request by timeout when the receiver hangs', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => 'hang';
    const res = await send(rx.url, { timeoutMs: 300 });
    expect(res.status).toBeUndefined();
    // Stalwart's text exactly (reqwest's error shows no cause); the cause apart
    expect(res.error).toBe(`Webhook request to ${rx.url} failed: error sending request for url (${rx.url})`);
    expect(res.cause).toBe('operation timed out');
    expect(res.latencyMs).toBeGreaterThanOrEqual(299);
  });

  it('reports resets and refusals as transport errors', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => 'reset';
    const reset = await send(rx.url);
    expect(reset.error).toBe(`Webhook request to ${rx.url} failed: error sending request for url (${rx.url})`);
    expect(reset.cause).toBe('connection reset');
    const url = rx.url;
    await rx.stop();
    const refused = await send(url);
    expect(refused.error).toBe(`Webhook request to ${url} failed: error sending request for url (${url})`);
    expect(refused.cause).toBe('connection refused');
  });

  it('refuses a self-signed certificate unless allow-invalid-certs', async () => {
    rx = await startWebhookReceiver({ tls: selfSignedCert() });
    const strict = await send(rx.url);
    expect(strict.error).toBe(`Webhook request to ${rx.url} failed: error sending request for url (${rx.url})`);
    expect(strict.cause).toMatch(/self-signed|certificate/i);
    expect(rx.posts).toHaveLength(0);
    const lax = await send(rx.url, { allowInvalidCerts: true });
    expect(lax).toMatchObject({ status: 200 });
    expect(rx.posts).toHaveLength(1);
  });
});

describe('redirects, followed as Stalwart v0.15.5 follows them (reqwest 0.12 default policy)', () => {
  let other: WebhookReceiver | undefined;
  afterEach(async () => {
    await other?.close();
    other = undefined;
  });
  const auth = { username: 'stalwart', secret: 's3cret' };

  for (const [status, reason] of [[301, 'Moved Permanently'], [302, 'Found'], [303, 'See Other']] as const) {
    it(`${status} ${reason}: the POST becomes a GET without body or payload headers, signature and auth kept on the same host`, async () => {
      rx = await startWebhookReceiver({ key: 'k' });
      rx.answer = (n) => (n === 1 ? { status, headers: { location: '/moved?x=1' } } : 200);
      const res = await send(rx.url, { key: 'k', auth, headers: { 'X-Tenant': 'acme' } });
      expect(res).toMatchObject({ status: 200 });
      expect(res.error).toBeUndefined();
      expect(rx.posts.map((p) => [p.method, p.path, p.body.length])).toEqual([['POST', '/hook', body.length], ['GET', '/moved?x=1', 0]]);
      const [first, get] = [rx.posts[0]!, rx.posts[1]!];
      const sig = first.headers['x-signature'];
      expect(get.rawHeaders.map(([n]) => n)).toEqual(['x-tenant', 'authorization', 'x-signature', 'accept', 'referer', 'host', 'Connection']);
      const h = Object.fromEntries(get.rawHeaders);
      expect(h['x-signature']).toBe(sig);
      expect(h.authorization).toBe(first.headers.authorization);
      expect(h.referer).toBe(rx.url);
      expect(h.host).toBe(`127.0.0.1:${rx.port}`);
    });
  }

  for (const [status, reason] of [[307, 'Temporary Redirect'], [308, 'Permanent Redirect']] as const) {
    it(`${status} ${reason}: the same POST, body and signature go to the new location`, async () => {
      rx = await startWebhookReceiver({ key: 'k' });
      rx.answer = (n) => (n === 1 ? { status, headers: { location: `${rx!.url}/v2` } } : 200);
      const res = await send(rx.url, { key: 'k', auth });
      expect(res).toMatchObject({ status: 200 });
      expect(rx.posts.map((p) => [p.method, p.path])).toEqual([['POST', '/hook'], ['POST', '/hook/v2']]);
      const second = rx.posts[1]!;
      expect(second.body.equals(body)).toBe(true);
      expect(second.signatureValid).toBe(true);
      expect(second.rawHeaders.map(([n]) => n)).toEqual(['authorization', 'content-type', 'x-signature', 'accept', 'referer', 'host', 'content-length', 'Connection']);
      expect(second.headers['content-length']).toBe(String(body.length));
    });
  }

  it('drops authorization on a hop to another port and keeps the rest', async () => {
    rx = await startWebhookReceiver({ key: 'k' });
    other = await startWebhookReceiver({ key: 'k' });
    rx.answer = () => ({ status: 307, headers: { location: other!.url } });
    const res = await send(rx.url, { key: 'k', auth: { token: 'tok' } });
    expect(res).toMatchObject({ status: 200 });
    expect(rx.posts).toHaveLength(1);
    const h = other.posts[0]!.headers;
    expect(h.authorization).toBeUndefined();
    expect(other.posts[0]!.signatureValid).toBe(true);
    expect(h.referer).toBe(rx.url);
  });

  it('sends no Referer from https to http', async () => {
    rx = await startWebhookReceiver({ tls: selfSignedCert() });
    other = await startWebhookReceiver();
    rx.answer = () => ({ status: 308, headers: { location: other!.url } });
    const res = await send(rx.url, { allowInvalidCerts: true });
    expect(res).toMatchObject({ status: 200 });
    expect(other.posts[0]!.headers.referer).toBeUndefined();
    expect(other.posts[0]!.body.equals(body)).toBe(true);
  });

  it('a failure after a redirect is reported against the configured url, with the final status', async () => {
    rx = await startWebhookReceiver();
    rx.answer = (n) => (n === 1 ? { status: 302, headers: { location: '/gone' } } : 410);
    const res = await send(rx.url);
    expect(res.status).toBe(410);
    expect(res.error).toBe(`Webhook request to ${rx.url} failed with code 410: Gone`);
  });

  it('follows ten redirects and fails on the eleventh with reqwest\'s text', async () => {
    rx = await startWebhookReceiver();
    rx.answer = (n) => ({ status: 302, headers: { location: `/hop${n}` } });
    const res = await send(rx.url);
    expect(rx.posts).toHaveLength(11);
    expect(rx.posts.map((p) => p.path)).toEqual(['/hook', ...Array.from({ length: 10 }, (_, i) => `/hop${i + 1}`)]);
    expect(res.status).toBeUndefined();
    const last = new URL('/hop10', rx.url).href;
    expect(res.error).toBe(`Webhook request to ${rx.url} failed: error following redirect for url (${last})`);

    rx.posts.length = 0;
    rx.answer = (n) => (n <= 10 ? { status: 307, headers: { location: `/hop${n}` } } : 204);
    expect(await send(rx.url)).toMatchObject({ status: 204 });
    expect(rx.posts).toHaveLength(11);
  });

  it('a Location that is not http(s) is an error; a redirect without Location is the answer', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => ({ status: 301, headers: { location: 'ftp://127.0.0.1/x' } });
    const bad = await send(rx.url);
    expect(bad.error).toBe(`Webhook request to ${rx.url} failed: builder error for url (ftp://127.0.0.1/x)`);
    rx.answer = () => 308;
    const none = await send(rx.url);
    expect(none).toMatchObject({ status: 308, error: `Webhook request to ${rx.url} failed with code 308: Permanent Redirect` });
  });

  it('timeout bounds the whole chain', async () => {
    rx = await startWebhookReceiver();
    rx.answer = (n) => (n === 1 ? { status: 307, headers: { location: '/slow' } } : 'hang');
    const res = await send(rx.url, { timeoutMs: 300 });
    expect(rx.posts).toHaveLength(2);
    expect(res.error).toBe(`Webhook request to ${rx.url} failed: error sending request for url (${rx.url})`);
    expect(res.cause).toBe('operation timed out');
  });
});
