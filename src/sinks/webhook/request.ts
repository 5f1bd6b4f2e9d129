import { request as httpRequest, STATUS_CODES, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Header } from './headers.js';
import { isRedirect, nextHop, type Hop } from './redirect.js';

export interface PostOptions {
  /** Total request time, from the first byte of the connection to the response head. */
  timeoutMs: number;
  allowInvalidCerts: boolean;
  /** Aborts the request (shutdown at `--stop-timeout`). */
  signal?: AbortSignal;
}

export interface PostResult {
  /** The HTTP status when the receiver answered. */
  status?: number;
  /**
   * Stalwart's error text when the attempt failed (transport error or non-2xx); undefined on
   * success. Exactly what Stalwart raises: its HTTP client's error shows no cause ("error sending
   * request for url (<url>)"), so the cause is apart, in `cause`.
   */
  error?: string;
  /** What went wrong under a transport error ("connection refused", "operation timed out"). */
  cause?: string;
  latencyMs: number;
}

/** The reason Stalwart prints: the status code's canonical reason, `Unknown` when it has none. */
export function canonicalReason(status: number): string {
  return STATUS_CODES[status] ?? 'Unknown';
}

/** Node's socket error codes in the words Stalwart's HTTP client uses. */
function transportCause(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `dns error: ${err.message}`;
    case 'ETIMEDOUT':
    case 'WEBHOOK_TIMEOUT':
      return 'operation timed out';
    case 'ABORT_ERR':
      return 'request aborted';
    default:
      return err.message || String(err.code);
  }
}

/**
 * One POST of one body, on a new connection per hop (Stalwart builds a new client per request).
 * Resolves at the final response head: any 2xx is success, anything else or a transport error a
 * failure with Stalwart's text ("Webhook request to {url} failed with code {n}: {reason}" /
 * "Webhook request to {url} failed: {err}", always the configured url). Redirects are followed as
 * Stalwart's client follows them (./redirect.ts); `timeoutMs` bounds the whole chain. Never rejects.
 */
export function postOnce(url: URL, headers: readonly Header[], body: Uint8Array, opts: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const shown = url.href;
  return new Promise((resolve) => {
    let done = false;
    let req: ClientRequest | undefined;
    const finish = (r: Omit<PostResult, 'latencyMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ ...r, latencyMs: Math.round((performance.now() - started) * 10) / 10 });
    };
    const failWith = (err: NodeJS.ErrnoException) => {
      finish({ error: `Webhook request to ${shown} failed: error sending request for url (${shown})`, cause: transportCause(err) });
      req?.destroy();
    };
    const timer = setTimeout(() => failWith(Object.assign(new Error('timed out'), { code: 'WEBHOOK_TIMEOUT' })), opts.timeoutMs);
    const onAbort = () => failWith(Object.assign(new Error('aborted'), { code: 'ABORT_ERR' }));
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const answered: URL[] = [];
    const send = (hop: Hop, sent: readonly Header[]) => {
      const raw: string[] = [];
      for (const [n, v] of sent) raw.push(n, v);
      const request = hop.url.protocol === 'https:' ? httpsRequest : httpRequest;
      let mine: ClientRequest;
      try {
        mine = req = request(hop.url, { method: hop.method, agent: false, headers: raw, rejectUnauthorized: !opts.allowInvalidCerts }, (res) => {
          const status = res.statusCode ?? 0;
          res.resume();
          res.on('error', () => undefined);
          if (done) return;
          if (isRedirect(status)) {
            answered.push(hop.url);
            const location = res.headers.location;
            const next = nextHop(hop, status, typeof location === 'string' ? location : undefined, answered);
            if ('follow' in next) return send(next.follow, next.sent);
            if ('error' in next) return finish({ error: `Webhook request to ${shown} failed: ${next.error}` });
          }
          if (status >= 200 && status < 300) finish({ status });
          else finish({ status, error: `Webhook request to ${shown} failed with code ${status}: ${canonicalReason(status)}` });
        });
      } catch (err) {
        return failWith(err as NodeJS.ErrnoException);
      }
      // An error of an earlier hop's request (its socket closing after the 3xx) is not this one's.
      mine.on('error', (err) => {
        if (mine === req) failWith(err);
      });
      mine.end(hop.body);
    };
    send({ url, method: 'POST', headers: headers.slice(), body }, headers);
  });
}
