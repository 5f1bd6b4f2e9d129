/**
 * The event-stream server: Stalwart's live tracing and live metrics endpoints (§4), both API
 * generations, on mailtel's listener.
 *
 * | route | what |
 * |---|---|
 * | `GET /api/telemetry/live/tracing-token`, `.../metrics-token` | `{"data":"<token>"}` (v0.15) |
 * | `GET /api/token/tracing`, `/api/token/metrics` | the token as plain text (v0.16) |
 * | `GET /api/telemetry/traces/live`, `/api/live/tracing` | `event: trace` / `event: ping` |
 * | `GET /api/telemetry/metrics/live`, `/api/live/metrics` | `event: metrics` |
 *
 * Streams see every event the collector ingests (`observe`), not only the events some tracer
 * selects: a slow client never slows the pipeline, because nothing here waits. Each client has
 * a bounded buffer and is cut when it stops reading. Events for clients without filters are
 * encoded once into shared segments (journal.ts) whatever the clients' timing.
 */
import type http from 'node:http';
import type { SinkStatus } from '../runtime/types.js';
import { RateCounter } from '../runtime/rate.js';
import type { TelemetryEvent } from '../runtime/event.js';
import type { MetricsSnapshot } from '../metrics/types.js';
import { encodeLiveTraceEvent } from '../format/json-encode.js';
import { checkHeaderAuth } from './auth.js';
import { authKind, type HttpListenerConfig } from './config.js';
import { encodeMetricsFrame, parseMetricsQuery, type MetricsQuery } from './metrics-frame.js';
import type { HttpServer } from './server.js';
import { PING_FRAME, PING_INTERVAL_MS, SseClient } from './sse-client.js';
import { TokenStore, type Grant } from './tokens.js';
import { isOpenQuery, parseTraceQuery, TraceFilter } from './trace-filter.js';
import { TRACE_HEAD, TRACE_TAIL, TraceJournal } from './journal.js';

export const THROTTLE_MS = 1_000;

export const STREAM_ROUTES = {
  tokens015: { tracing: '/api/telemetry/live/tracing-token', metrics: '/api/telemetry/live/metrics-token' },
  tokens016: { tracing: '/api/token/tracing', metrics: '/api/token/metrics' },
  streams015: { tracing: '/api/telemetry/traces/live', metrics: '/api/telemetry/metrics/live' },
  streams016: { tracing: '/api/live/tracing', metrics: '/api/live/metrics' },
} as const;

/** Every route served, for `check` and `--status-json`. */
export const ROUTE_LIST: readonly string[] = Object.values(STREAM_ROUTES).flatMap((r) => [r.tracing, r.metrics]);

export interface StreamHooks {
  metrics(): MetricsSnapshot;
  message(level: 'info' | 'warn' | 'error', text: string): void;
  now?: () => number;
}

interface TraceClient {
  kind: 'trace';
  sse: SseClient;
  /** Undefined: no filter, the client reads the shared journal from `cursor`. */
  filter?: TraceFilter;
  cursor: number;
  pending: TelemetryEvent[];
  lastFrameAt: number;
  ping: NodeJS.Timeout;
}

interface MetricsClient {
  kind: 'metrics';
  sse: SseClient;
  query: MetricsQuery;
  timer: NodeJS.Timeout;
}

type Client = TraceClient | MetricsClient;

export class StreamServer {
  readonly tokens: TokenStore;
  private enabled = true;
  private readonly clients = new Set<Client>();
  private openTraceClients = 0;
  private filteredTraceClients: TraceClient[] = [];
  /** Events not yet sent to every unfiltered client, encoded once into shared segments. */
  private readonly journal = new TraceJournal();
  private flushImmediate: NodeJS.Immediate | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
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
        if (this.authorize(req, res, 'metrics', url) && this.admit(res)) this.openMetrics(req, res, url);
      });
    }
  }

  /** The hot path: called for every collected event. */
  observe(ev: TelemetryEvent): void {
    if (this.clients.size === 0) return;
    let wanted = false;
    if (this.openTraceClients > 0) {
      this.journal.push(ev);
      wanted = true;
    }
    for (const c of this.filteredTraceClients) {
      if (c.filter!.test(ev)) {
        c.pending.push(ev);
        wanted = true;
      }
    }
    if (!wanted) return;
    this.stats.received++;
    this.schedule();
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
    if (!on) for (const c of [...this.clients]) c.sse.end();
  }

  close(): void {
    for (const c of [...this.clients]) c.sse.end();
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushImmediate = this.flushTimer = undefined;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** A row for the sinks pane: `written` counts events sent (per client), `rate1s` frames/s. */
  status(now = this.now()): SinkStatus {
    const traces = [...this.clients].filter((c) => c.kind === 'trace').length;
    return {
      id: 'streams',
      subscriberId: 'streams',
      type: 'stream',
      target: `${this.url || `http://${this.config.listen ?? ''}`} (auth ${authKind(this.config.auth)})`,
      enabled: this.enabled,
      state: this.listenError !== undefined ? 'failing' : this.enabled ? 'ok' : 'disabled',
      lossy: false,
      eventsSelected: 0,
      received: this.stats.received,
      written: this.stats.delivered,
      droppedIntentional: this.stats.clientsDropped,
      droppedError: 0,
      skipped: 0,
      queueDepth: this.clients.size,
      queueCapacity: this.config.maxClients,
      rate1s: this.eventRate.rate1s(now),
      rate10s: this.eventRate.rate10s(now),
      history: this.eventRate.history(now),
      writes: this.stats.frames,
      failures: this.stats.authFailures,
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
      details: {
        clients: this.clients.size,
        traceClients: traces,
        metricsClients: this.clients.size - traces,
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
    const why = !this.enabled ? 'event streams are switched off' : this.clients.size >= this.config.maxClients ? `too many stream clients (http.max-clients = ${this.config.maxClients})` : undefined;
    if (why === undefined) return true;
    this.stats.clientsRefused++;
    if (this.enabled) this.fail(why);
    res.writeHead(503, { 'content-type': 'text/plain', 'retry-after': '5' }).end(why + '\n');
    return false;
  }

  private sse(req: http.IncomingMessage, res: http.ServerResponse): SseClient {
    return new SseClient(
      res,
      this.config.clientBufferBytes,
      {
        wrote: (bytes) => {
          const now = this.now();
          this.stats.frames++;
          this.stats.bytes += bytes;
          this.frameRate.add(1, now);
          this.byteRate.add(bytes, now);
        },
        closed: (client, dropped) => this.remove(client, dropped),
      },
      `${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`,
      this.now(),
    );
  }

  private openTrace(req: http.IncomingMessage, res: http.ServerResponse, url: URL, v16: boolean): void {
    const query = parseTraceQuery(url.searchParams);
    const sse = this.sse(req, res);
    const c: TraceClient = {
      kind: 'trace',
      sse,
      // A new client starts at a segment boundary: what came before it is sealed off.
      cursor: this.journal.seal(),
      pending: [],
      lastFrameAt: -Infinity,
      ping: setTimeout(() => this.ping(c), PING_INTERVAL_MS),
    };
    if (!isOpenQuery(query)) {
      c.filter = new TraceFilter(query);
      this.filteredTraceClients.push(c);
    } else this.openTraceClients++;
    this.clients.add(c);
    // Stalwart v0.16 greets a new tracing stream with a ping; v0.15 waits for the first event.
    if (v16) sse.write(PING_FRAME, this.now());
  }

  private ping(c: TraceClient): void {
    if (c.sse.closed) return;
    const idle = this.now() - c.sse.lastWriteAt;
    if (idle >= PING_INTERVAL_MS) c.sse.write(PING_FRAME, this.now());
    c.ping = setTimeout(() => this.ping(c), PING_INTERVAL_MS - (idle >= PING_INTERVAL_MS ? 0 : idle));
  }

  private openMetrics(req: http.IncomingMessage, res: http.ServerResponse, url: URL): void {
    const query = parseMetricsQuery(url.searchParams);
    const sse = this.sse(req, res);
    const send = (): void => {
      sse.write(Buffer.from(encodeMetricsFrame(this.hooks.metrics(), query)), this.now());
    };
    const c: MetricsClient = { kind: 'metrics', sse, query, timer: setInterval(send, query.intervalMs) };
    this.clients.add(c);
    send();
  }

  private remove(sse: SseClient, dropped: boolean): void {
    for (const c of this.clients) {
      if (c.sse !== sse) continue;
      this.clients.delete(c);
      if (c.kind === 'metrics') clearInterval(c.timer);
      else {
        clearTimeout(c.ping);
        if (c.filter) this.filteredTraceClients = this.filteredTraceClients.filter((x) => x !== c);
        else if (--this.openTraceClients === 0) this.journal.clear();
        else this.trimJournal();
      }
      if (dropped) {
        this.stats.clientsDropped++;
        const text = `stream client ${sse.remote} disconnected: it stopped reading (more than ${this.config.clientBufferBytes} bytes unread)`;
        this.fail(text);
        this.hooks.message('warn', `http: ${text}`);
      }
      return;
    }
  }

  /** A flush soon after each batch of events: clients whose last frame is 1 s old get it at once. */
  private schedule(): void {
    this.flushImmediate ??= setImmediate(() => this.flush());
  }

  /** Sends a frame to every trace client with news whose last frame is 1 s old or more. */
  private flush(): void {
    this.flushImmediate = undefined;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const now = this.now();
    const end = this.journal.seal();
    let nextDue = Infinity;
    for (const c of this.clients) {
      if (c.kind !== 'trace') continue;
      const has = c.filter ? c.pending.length > 0 : c.cursor < end;
      if (!has) continue;
      if (now - c.lastFrameAt < THROTTLE_MS) {
        nextDue = Math.min(nextDue, c.lastFrameAt + THROTTLE_MS);
        continue;
      }
      let frame: { parts: Buffer[]; events: number; bytes: number } | undefined;
      if (c.filter) {
        frame = filteredFrame(c.pending);
        c.pending = [];
      } else {
        frame = this.journal.frameFrom(c.cursor);
        c.cursor = end;
      }
      c.lastFrameAt = now;
      if (frame && c.sse.write(frame.parts, now, frame.bytes)) {
        this.stats.delivered += frame.events;
        this.eventRate.add(frame.events, now);
      }
    }
    this.trimJournal();
    if (nextDue !== Infinity) this.flushTimer = setTimeout(() => this.flush(), Math.max(1, nextDue - now));
  }

  /** Forgets journal segments every unfiltered client has been sent. */
  private trimJournal(): void {
    let min = this.journal.end;
    for (const c of this.clients) if (c.kind === 'trace' && !c.filter && c.cursor < min) min = c.cursor;
    this.journal.trim(min);
  }
}

function filteredFrame(events: readonly TelemetryEvent[]): { parts: Buffer[]; events: number; bytes: number } {
  const parts = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) parts[i] = encodeLiveTraceEvent(events[i]!);
  const body = Buffer.from(parts.join(','));
  return { parts: [TRACE_HEAD, body, TRACE_TAIL], events: events.length, bytes: TRACE_HEAD.length + body.length + TRACE_TAIL.length };
}
