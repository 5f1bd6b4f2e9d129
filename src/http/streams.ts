/**
 * The event-stream server: Stalwart's live tracing and live metrics endpoints (docs/stalwart.md §4), both API
 * generations, on mailtel's listener.
 *
 * | route | what |
 * |---|---|
 * | `GET /api/telemetry/live/tracing-token`, `.../metrics-token` | `{"data":"<token>"}` (v0.15) |
 * | `GET /api/token/tracing`, `/api/token/metrics` | the token as plain text (v0.16) |
 * | `GET /api/telemetry/traces/live`, `/api/live/tracing` | `event: trace` / `event: ping` |
 * | `GET /api/telemetry/metrics/live`, `/api/live/metrics` | `event: metrics` |
 *
 * Each route writes its own generation's payloads: v0.15's trace elements and metrics entries,
 * or v0.16's (v016-encode.ts, metrics-frame.ts), with v0.16's filter-name lookup and greeting ping.
 *
 * Streams see every event the collector ingests (`observe`), not only the events some tracer
 * selects: a slow client never slows the pipeline, because nothing here waits. Each client has
 * a bounded buffer and is cut when it stops reading. The tracing clients live in
 * trace-fanout.ts; this file holds the routes, auth, tokens, the client cap and the status row.
 */
import type http from 'node:http';
import { EVENTS } from '../catalogue/index.js';
import type { SinkStatus } from '../runtime/types.js';
import { RateCounter } from '../runtime/rate.js';
import type { TelemetryEvent } from '../runtime/event.js';
import type { MetricsSnapshot } from '../metrics/types.js';
import { checkHeaderAuth } from './auth.js';
import { authKind, type HttpListenerConfig } from './config.js';
import { encodeMetricsFrame, parseMetricsQuery, type MetricsQuery } from './metrics-frame.js';
import type { HttpServer } from './server.js';
import { SseClient } from './sse-client.js';
import { TokenStore, type Grant } from './tokens.js';
import { parseTraceQuery } from './trace-filter.js';
import { TraceFanout } from './trace-fanout.js';
import { STREAM_ROUTES } from './stream-routes.js';

export interface StreamHooks {
  metrics(): MetricsSnapshot;
  message(level: 'info' | 'warn' | 'error', text: string): void;
  now?: () => number;
}

interface MetricsClient {
  sse: SseClient;
  query: MetricsQuery;
  timer: NodeJS.Timeout;
}

export class StreamServer {
  readonly tokens: TokenStore;
  private enabled = true;
  private readonly traces: TraceFanout;
  private readonly metricsClients = new Map<SseClient, MetricsClient>();
  /** Every open stream of either kind. */
  private readonly sseClients = new Set<SseClient>();
  private readonly now: () => number;
  private url = '';
  private readonly stats = {
    received: 0,
    delivered: 0,
    frames: 0,
    bytes: 0,
    clientsDropped: 0,
    clientsRefused: 0,
    authFailures: 0,
  };
  private readonly frameRate = new RateCounter();
  private readonly byteRate = new RateCounter();
  private readonly eventRate = new RateCounter();
  private lastError: { message: string; at: number } | undefined;
  private lastFrameAt: number | undefined;
  private authLoggedAt = -Infinity;
  private authUnlogged = 0;
  /** Set when the listener could not start: the row stays, failing with the reason. */
  private listenError: string | undefined;

  constructor(
    private readonly config: HttpListenerConfig,
    private readonly hooks: StreamHooks,
  ) {
    this.now = hooks.now ?? Date.now;
    this.tokens = new TokenStore(this.now);
    this.traces = new TraceFanout(this.now, (events, now) => {
      this.stats.delivered += events;
      this.eventRate.add(events, now);
    });
  }

  /** Adds every route to the listener. */
  attach(server: HttpServer): void {
    this.url = server.url;
    for (const grant of ['tracing', 'metrics'] as const) {
      server.addRoute('GET', STREAM_ROUTES.tokens015[grant], (req, res) => {
        if (this.authorize(req, res, undefined)) this.sendToken(res, grant, 'json');
      });
      server.addRoute('GET', STREAM_ROUTES.tokens016[grant], (req, res) => {
        if (this.authorize(req, res, undefined)) this.sendToken(res, grant, 'text');
      });
    }
    for (const v16 of [false, true]) {
      const routes = v16 ? STREAM_ROUTES.streams016 : STREAM_ROUTES.streams015;
      server.addRoute('GET', routes.tracing, (req, res, url) => {
        if (this.authorize(req, res, 'tracing', url) && this.admit(res)) this.openTrace(req, res, url, v16);
      });
      server.addRoute('GET', routes.metrics, (req, res, url) => {
        if (this.authorize(req, res, 'metrics', url) && this.admit(res)) this.openMetrics(req, res, url, v16);
      });
    }
  }

  /** The hot path: called for every collected event. */
  observe(ev: TelemetryEvent): void {
    if (this.traces.size > 0 && this.traces.observe(ev)) this.stats.received++;
  }

  /** The listener could not be opened: nothing is served, the status row says why. */
  listenFailed(message: string): void {
    this.listenError = message;
    this.fail(message);
  }

  isEnabled(): boolean {
    return this.enabled;
  }

  /** Off closes every stream and refuses new ones (503); tokens keep being issued. */
  setEnabled(on: boolean): void {
    this.enabled = on;
    if (!on) this.endAll();
  }

  close(): void {
    this.endAll();
    this.traces.close();
  }

  private endAll(): void {
    for (const sse of [...this.sseClients]) sse.end();
  }

  get clientCount(): number {
    return this.traces.size + this.metricsClients.size;
  }


  /** A row for the sinks pane: `written` counts events sent (per client), `rate1s` frames/s. */
  status(now = this.now()): SinkStatus {
    const traces = this.traces.size;
    const clients = this.clientCount;
    return {
      id: 'streams',
      subscriberId: 'streams',
      type: 'stream',
      target: `${this.url || `http://${this.config.listen ?? ''}`} (auth ${authKind(this.config.auth)})`,
      enabled: this.enabled,
      state: this.listenError !== undefined ? 'failing' : this.enabled ? 'ok' : 'disabled',
      // Clients are cut rather than waited for; every catalogue event reaches the streams.
      lossy: true,
      eventsSelected: EVENTS.length,
      received: this.stats.received,
      written: this.stats.delivered,
      droppedIntentional: this.stats.clientsDropped,
      droppedError: 0,
      skipped: 0,
      queueDepth: clients,
      queueCapacity: this.config.maxClients,
      rate1s: this.eventRate.rate1s(now),
      rate10s: this.eventRate.rate10s(now),
      history: this.eventRate.history(now),
      writes: this.stats.frames,
      failures: this.stats.authFailures,
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
      ...(this.lastFrameAt !== undefined ? { lastSuccessAt: this.lastFrameAt } : {}),
      details: {
        clients,
        traceClients: traces,
        metricsClients: clients - traces,
        framesPerSec: this.frameRate.rate1s(now),
        bytesPerSec: this.byteRate.rate1s(now),
        frames: this.stats.frames,
        bytes: this.stats.bytes,
        clientsDropped: this.stats.clientsDropped,
        clientsRefused: this.stats.clientsRefused,
        authFailures: this.stats.authFailures,
        maxClients: this.config.maxClients,
        auth: authKind(this.config.auth),
      },
    };
  }

  private fail(message: string): void {
    this.lastError = { message, at: this.now() };
  }

  /**
   * Header auth, else (stream routes only) `?token=` of the right grant. With no auth configured
   * every request passes, but a `?token=` that is given is still checked.
   */
  private authorize(req: http.IncomingMessage, res: http.ServerResponse, grant: Grant | undefined, url?: URL): boolean {
    const header = req.headers.authorization;
    const token = grant && url ? url.searchParams.get('token') : null;
    const open = this.config.auth.token === undefined && this.config.auth.basic === undefined;
    const viaHeader = checkHeaderAuth(header, this.config.auth);
    if (viaHeader.ok && (header !== undefined || !open || token === null)) return true;
    let reason = viaHeader.ok ? '' : viaHeader.reason;
    if (token !== null && grant) {
      const t = this.tokens.check(token, grant);
      if (t === 'ok') return true;
      reason = t === 'expired' ? 'expired token' : t === 'wrong-grant' ? `token not valid for the ${grant} stream` : 'unknown token';
    }
    this.stats.authFailures++;
    const path = url?.pathname ?? req.url?.split('?')[0] ?? '';
    const text = `http: 401 for ${req.method} ${path} from ${req.socket.remoteAddress ?? '?'}: ${reason}`;
    this.fail(text.slice(6));
    // One message per second at most: a client guessing in a loop must not flush the console's log.
    const now = this.now();
    if (now - this.authLoggedAt >= 1_000) {
      const more = this.authUnlogged > 0 ? ` (and ${this.authUnlogged} more failed attempts before)` : '';
      this.hooks.message('warn', text + more);
      this.authLoggedAt = now;
      this.authUnlogged = 0;
    } else this.authUnlogged++;
    res.writeHead(401, { 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer realm="mailtel", Basic realm="mailtel"' });
    res.end(JSON.stringify({ type: 'about:blank', status: 401, title: 'Unauthorized', detail: 'You have to authenticate first.' }) + '\n');
    return false;
  }

  private sendToken(res: http.ServerResponse, grant: Grant, shape: 'json' | 'text'): void {
    const token = this.tokens.issue(grant);
    const body = shape === 'json' ? JSON.stringify({ data: token }) : token;
    res.writeHead(200, { 'content-type': shape === 'json' ? 'application/json' : 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  }

  /** 503 when streams are off or the client cap is reached; a HEAD gets the headers only. */
  private admit(res: http.ServerResponse): boolean {
    if (res.req.method === 'HEAD') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }).end();
      return false;
    }
    const why = !this.enabled ? 'event streams are switched off' : this.clientCount >= this.config.maxClients ? `too many stream clients (http.max-clients = ${this.config.maxClients})` : undefined;
    if (why === undefined) return true;
    this.stats.clientsRefused++;
    if (this.enabled) this.fail(why);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end(why + '\n');
    return false;
  }

  private sse(req: http.IncomingMessage, res: http.ServerResponse): SseClient {
    const sse = new SseClient(
      res,
      this.config.clientBufferBytes,
      {
        wrote: (bytes) => {
          const now = this.now();
          this.stats.frames++;
          this.stats.bytes += bytes;
          this.lastFrameAt = now;
          this.frameRate.add(1, now);
          this.byteRate.add(bytes, now);
        },
        closed: (client, dropped) => this.remove(client, dropped),
      },
      `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`,
      this.now(),
    );
    this.sseClients.add(sse);
    return sse;
  }

  private openTrace(req: http.IncomingMessage, res: http.ServerResponse, url: URL, v16: boolean): void {
    this.traces.add(this.sse(req, res), parseTraceQuery(url.searchParams, v16), v16 ? 1 : 0);
  }

  private openMetrics(req: http.IncomingMessage, res: http.ServerResponse, url: URL, v16: boolean): void {
    const query = parseMetricsQuery(url.searchParams);
    const sse = this.sse(req, res);
    const send = (): void => {
      sse.write(Buffer.from(encodeMetricsFrame(this.hooks.metrics(), query, v16)), this.now());
    };
    this.metricsClients.set(sse, { sse, query, timer: setInterval(send, query.intervalMs) });
    send();
  }

  private remove(sse: SseClient, dropped: boolean): void {
    this.sseClients.delete(sse);
    const m = this.metricsClients.get(sse);
    if (m) {
      clearInterval(m.timer);
      this.metricsClients.delete(sse);
    } else this.traces.remove(sse);
    if (dropped) {
      this.stats.clientsDropped++;
      const text = `stream client ${sse.remote} disconnected: it stopped reading (more than ${this.config.clientBufferBytes} bytes unread)`;
      this.fail(text);
      this.hooks.message('warn', `http: ${text}`);
    }
  }
}
