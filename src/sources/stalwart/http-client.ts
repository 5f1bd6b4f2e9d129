import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { FrameGuard } from './frame-guard.js';

export interface HttpOptions {
  allowInvalidCerts: boolean;
  timeoutMs: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface TextReply {
  status: number;
  body: string;
}

const MAX_TOKEN_BODY = 64 * 1024;

/** Opens a GET and resolves with the response head (body unread). */
function open(url: URL, o: HttpOptions): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: o.headers,
      rejectUnauthorized: !o.allowInvalidCerts,
      signal: o.signal,
      timeout: o.timeoutMs,
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${o.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('response', (res) => {
      req.setTimeout(0);
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A small GET (a token): status and body text, the body capped at 64 KiB. */
export async function getText(url: URL, o: HttpOptions): Promise<TextReply> {
  const res = await open(url, o);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > MAX_TOKEN_BODY) {
      res.destroy();
      throw new Error(`reply from ${url.pathname} larger than ${MAX_TOKEN_BODY} bytes`);
    }
    chunks.push(c);
  }
  return { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') };
}

/** What one SSE connection saw at the byte level, for the source to explain how it ended. */
export interface StreamWatch {
  guard: FrameGuard;
  /** Last time bytes arrived (ms, from `now`). */
  lastByteAt: number;
  status?: number;
  /** Set when the frame limit was hit and the connection was cut on purpose. */
  oversize?: boolean;
  /** The transport error, when the connection failed. */
  error?: NodeJS.ErrnoException;
  /** True once the body ended or failed. */
  ended: boolean;
  /** True while paused by the pipeline (a silent stream is not dead then). */
  held: boolean;
  /** Stops reading until `resume()` (backpressure from the pipeline). */
  pause(): void;
  resume(): void;
}

/**
 * A `fetch` for the `eventsource` package over node:http(s): TLS checks per source
 * (`allow-invalid-certs`), a connect timeout, and a body that passes through a FrameGuard, so a
 * frame over the limit ends the connection instead of growing in memory, and reading can be
 * paused while the pipeline holds the source back.
 */
export function sseFetch(o: HttpOptions & { maxFrameBytes: number; now: () => number; onWatch: (w: StreamWatch) => void }) {
  return async (input: string | URL, init: { signal?: AbortSignal; headers?: Record<string, string> }) => {
    const url = typeof input === 'string' ? new URL(input) : input;
    let res: IncomingMessage | undefined;
    const watch: StreamWatch = {
      guard: new FrameGuard(o.maxFrameBytes),
      lastByteAt: o.now(),
      ended: false,
      held: false,
      pause: () => {
        watch.held = true;
        res?.pause();
      },
      resume: () => {
        watch.held = false;
        watch.lastByteAt = o.now();
        res?.resume();
      },
    };
    o.onWatch(watch);
    try {
      res = await open(url, { ...o, headers: { ...init.headers, ...o.headers }, signal: init.signal });
    } catch (e) {
      watch.error = e as NodeJS.ErrnoException;
      watch.ended = true;
      throw e;
    }
    const r = res;
    watch.status = r.statusCode ?? 0;
    const body = new ReadableStream<Uint8Array<ArrayBuffer>>({
      start(c) {
        r.on('data', (chunk: Buffer) => {
          watch.lastByteAt = o.now();
          if (!watch.guard.feed(chunk)) {
            watch.oversize = true;
            watch.ended = true;
            r.destroy();
            c.error(new Error(`frame over ${o.maxFrameBytes} bytes`));
            return;
          }
          c.enqueue(new Uint8Array(chunk.buffer as ArrayBuffer, chunk.byteOffset, chunk.length));
          if ((c.desiredSize ?? 1) <= 0) r.pause();
        });
        r.on('end', () => {
          watch.ended = true;
          c.close();
        });
        r.on('error', (e: NodeJS.ErrnoException) => {
          if (watch.ended) return;
          watch.ended = true;
          watch.error = e;
          c.error(e);
        });
        r.on('close', () => {
          if (watch.ended) return;
          watch.ended = true;
          const e = Object.assign(new Error('connection closed'), { code: 'ECONNRESET' });
          watch.error = e;
          c.error(e);
        });
      },
      pull() {
        if (!watch.held) r.resume();
      },
      cancel() {
        watch.ended = true;
        r.destroy();
      },
    }, { highWaterMark: 8 });
    return {
      body,
      url: url.href,
      status: r.statusCode ?? 0,
      redirected: false,
      headers: { get: (name: string) => { const v = r.headers[name.toLowerCase()]; return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v; } },
    };
  };
}

/** Names TLS problems the way an administrator can act on them. */
export function isTlsError(e: NodeJS.ErrnoException | undefined): boolean {
  if (!e) return false;
  return /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME|ALTNAME/i.test(e.code ?? '') || /certificate|self.signed|ssl|tls/i.test(e.message);
}
