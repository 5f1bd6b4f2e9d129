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
    expect(shown['x-api-key']).toBe('ab****');
    expect(shown.authorization).toMatch(/^Basic [A-Za-z0-9]{2}\*\*\*\*$/);
    expect(shown['x-signature']).toBe('c2****');
    expect(shown['content-type']).toBe('application/json');
  });

  it('takes any 2xx as success and every other status as a failure with the canonical reason', async () => {
    rx = await startWebhookReceiver();
    const codes = [204, 299, 500, 413, 302, 404, 599];
    rx.answer = (n) => (codes[n - 1] === 302 ? { status: 302, headers: { location: '/elsewhere' } } : codes[n - 1]!);
    const results = [];
    for (let i = 0; i < codes.length; i++) results.push(await send(rx.url));
    expect(results.map((r) => r.status)).toEqual(codes);
    expect(results[0]!.error).toBeUndefined();
    expect(results[1]!.error).toBeUndefined();
    expect(results[2]!.error).toBe(`Webhook request to ${rx.url} failed with code 500: Internal Server Error`);
    expect(results[3]!.error).toBe(`Webhook request to ${rx.url} failed with code 413: Payload Too Large`);
    expect(results[4]!.error).toBe(`Webhook request to ${rx.url} failed with code 302: Found`);
    expect(results[6]!.error).toBe(`Webhook request to ${rx.url} failed with code 599: Unknown`);
    // The redirect was not followed.
    expect(rx.posts).toHaveLength(codes.length);
  });

  it('bounds the whole request by timeout when the receiver hangs', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => 'hang';
    const res = await send(rx.url, { timeoutMs: 300 });
    expect(res.status).toBeUndefined();
    expect(res.error).toBe(`Webhook request to ${rx.url} failed: error sending request for url (${rx.url}): operation timed out`);
    expect(res.latencyMs).toBeGreaterThanOrEqual(299);
  });

  it('reports resets and refusals as transport errors', async () => {
    rx = await startWebhookReceiver();
    rx.answer = () => 'reset';
    const reset = await send(rx.url);
    expect(reset.error).toMatch(/failed: error sending request for url \(.*\): connection reset$/);
    const url = rx.url;
    await rx.stop();
    const refused = await send(url);
    expect(refused.error).toBe(`Webhook request to ${url} failed: error sending request for url (${url}): connection refused`);
  });

  it('refuses a self-signed certificate unless allow-invalid-certs', async () => {
    rx = await startWebhookReceiver({ tls: selfSignedCert() });
    const strict = await send(rx.url);
    expect(strict.error).toMatch(/failed: error sending request for url .*(self-signed|certificate)/i);
    expect(rx.posts).toHaveLength(0);
    const lax = await send(rx.url, { allowInvalidCerts: true });
    expect(lax).toMatchObject({ status: 200 });
    expect(rx.posts).toHaveLength(1);
  });
});
