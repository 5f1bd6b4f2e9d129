/**
 * A real webhook receiver for tests, on 127.0.0.1 (port 0), that checks requests the way
 * Stalwart's docs tell receivers to: HMAC-SHA256 over the raw body bytes with the shared key,
 * compared in constant time with the base64 `X-Signature`. Every request is recorded with its raw
 * header order; the answer is scripted per request.
 *
 *   const rx = await startWebhookReceiver({ key: 'secret' });
 *   rx.answer = (n) => (n <= 3 ? 500 : 200);      // or 'hang', 'reset', { status, delayMs }
 *   await waitFor(() => rx.accepted.length >= 10, 5000);
 *   await rx.stop(); await rx.start();             // refused while stopped, same port after
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Answer = number | 'hang' | 'reset' | { status: number; delayMs?: number; headers?: Record<string, string> };

export interface WebhookEvent {
  id: string;
  createdAt: string;
  type: string;
  data: Record<string, unknown>;
}

export interface ReceivedPost {
  n: number;
  at: number;
  method: string;
  path: string;
  /** Header [name, value] pairs in the order they arrived, names as sent. */
  rawHeaders: [string, string][];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** Parsed body; undefined when the body is not JSON. */
  json?: { events: WebhookEvent[] };
  /** True/false when a key is set and the header is there; undefined when there is nothing to check. */
  signatureValid?: boolean;
  answered: number | 'hang' | 'reset';
}

export interface WebhookReceiver {
  url: string;
  port: number;
  posts: ReceivedPost[];
  /** Posts answered 2xx, in order. */
  accepted: ReceivedPost[];
  /** Events of the accepted posts, in arrival order. */
  events(): WebhookEvent[];
  answer: (n: number, post: ReceivedPost) => Answer;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Constant-time check of a base64 HMAC-SHA256 signature over the raw body. */
export function verifySignature(key: string, body: Buffer, header: string | undefined): boolean {
  if (header === undefined) return false;
  const expected = createHmac('sha256', Buffer.from(key, 'utf8')).update(body).digest();
  const given = Buffer.from(header, 'base64');
  if (given.length !== expected.length || given.toString('base64') !== header) return false;
  return timingSafeEqual(given, expected);
}

export async function startWebhookReceiver(opts: { key?: string; tls?: { key: string; cert: string }; path?: string } = {}): Promise<WebhookReceiver> {
  const posts: ReceivedPost[] = [];
  const sockets = new Set<Socket>();
  const held = new Set<http.ServerResponse>();
  let port = 0;
  let server: http.Server | https.Server | undefined;

  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const rawHeaders: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) rawHeaders.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      let json: ReceivedPost['json'];
      try {
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      const sig = req.headers['x-signature'];
      const post: ReceivedPost = {
        n: posts.length + 1,
        at: Date.now(),
        method: req.method ?? '',
        path: req.url ?? '',
        rawHeaders,
        headers: req.headers,
        body,
        json,
        signatureValid: opts.key ? verifySignature(opts.key, body, typeof sig === 'string' ? sig : undefined) : undefined,
        answered: 200,
      };
      posts.push(post);
      const a = rx.answer(post.n, post);
      if (a === 'hang') {
        post.answered = 'hang';
        held.add(res);
        return;
      }
      if (a === 'reset') {
        post.answered = 'reset';
        req.socket.resetAndDestroy();
        return;
      }
      const { status, delayMs = 0, headers = {} } = typeof a === 'number' ? { status: a } : a;
      post.answered = status;
      const reply = () => {
        res.writeHead(status, { 'content-length': '0', ...headers });
        res.end();
      };
      if (delayMs > 0) setTimeout(reply, delayMs);
      else reply();
    });
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = opts.tls ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onRequest) : http.createServer(onRequest);
      s.on('connection', (c: Socket) => {
        sockets.add(c);
        c.on('close', () => sockets.delete(c));
      });
      s.on('tlsClientError', () => undefined);
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        port = (s.address() as AddressInfo).port;
        server = s;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const r of held) r.destroy();
      held.clear();
      for (const c of sockets) c.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });

  await listen();
  const scheme = opts.tls ? 'https' : 'http';
  const rx: WebhookReceiver = {
    url: `${scheme}://127.0.0.1:${port}${opts.path ?? '/hook'}`,
    port,
    posts,
    get accepted() {
      return posts.filter((p) => typeof p.answered === 'number' && p.answered >= 200 && p.answered < 300);
    },
    events() {
      return this.accepted.flatMap((p) => p.json?.events ?? []);
    },
    answer: () => 200,
    stop,
    start: listen,
    close: stop,
  };
  return rx;
}
