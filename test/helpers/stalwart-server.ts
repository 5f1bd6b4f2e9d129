import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { eventInfo } from '../../src/catalogue/index.js';
import { encodeValue, formatRfc3339Seconds } from '../../src/format/json.js';
import { isNestedEvent, type TelemetryEvent, type Value } from '../../src/runtime/event.js';

/**
 * A local stand-in for Stalwart's Enterprise live telemetry API (docs/stalwart.md §4 and §0), faithful on the
 * wire: both route generations (v0.15 `/api/telemetry/...` with `{"data":token}`, v0.16
 * `/api/token/...` + `/api/live/...` with a plain-text token), Basic and Bearer auth on the token
 * routes, `?token=` on the streams with tokens that expire after `tokenTtlMs` (60 s), trace
 * frames batched per `batchMs` (1 s), `event: ping` with `{"interval": N}` when idle, `metrics`
 * frames (first at once, then every `interval` s). Faults on demand: a frame cut mid-way by a
 * dropped connection, a malformed frame, an oversized frame, a stalled stream, a restart.
 */
export interface StalwartServerOptions {
  /** Which routes exist; `none` answers 404 everywhere (not an Enterprise server). */
  api: 'v0.15' | 'v0.16' | 'none';
  users?: { username: string; secret: string }[];
  /** API keys accepted as `Authorization: Bearer`. */
  apiKeys?: string[];
  tokenTtlMs?: number;
  batchMs?: number;
  pingMs?: number;
  /** Milliseconds per metrics `interval` second (tests shrink time: 1000 is real). */
  metricsSecondMs?: number;
  /** The clock token expiry is judged by. */
  now?: () => number;
  /**
   * As Stalwart v0.16.0 to v0.16.18 (crates/http/src/api/telemetry.rs:75,97,156, docs/stalwart.md
   * §4): each trace stream keeps every element it ever sent, every frame carries all of them, and
   * an idle stream resends them all every `pingMs` instead of a ping.
   */
  cumulative?: boolean;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  auth: 'basic' | 'bearer' | 'token' | 'none';
}

type Metric = StalwartTestServer['metrics'][number];

/** v0.15.5 crates/http/src/management/enterprise/telemetry.rs: `{"id","type":"counter","value"}`. */
function metricV015(m: Metric): string {
  return m.type === 'histogram' ? `{"id":"${m.id}","type":"histogram","count":${m.count},"sum":${m.sum}}` : `{"id":"${m.id}","type":"${m.type}","value":${m.value}}`;
}

/** v0.16 crates/http/src/api/telemetry.rs: `{"metric","@type":"Counter","count"}` (gauges too carry `count`). */
function metricV016(m: Metric): string {
  const tag = m.type[0]!.toUpperCase() + m.type.slice(1);
  return m.type === 'histogram' ? `{"metric":"${m.id}","@type":"Histogram","count":${m.count},"sum":${m.sum}}` : `{"metric":"${m.id}","@type":"${tag}","count":${m.value}}`;
}

interface Stream {
  res: ServerResponse;
  kind: 'traces' | 'metrics';
}

const NOT_FOUND = '{"type":"about:blank","status":404,"title":"Not Found","detail":"The requested resource does not exist on this server."}';
const UNAUTHORIZED = '{"type":"about:blank","status":401,"title":"Unauthorized","detail":"You have to authenticate first."}';

export class StalwartTestServer {
  readonly requests: RequestRecord[] = [];
  /** Events written in complete trace frames (what a client can have received). */
  sent = 0;
  frames = 0;
  /** Frames cut by a dropped connection, and the events in them (lost on the wire). */
  cutFrames = 0;
  cutEvents = 0;
  malformedSent = 0;
  oversizeSent = 0;
  pings = 0;
  tokensIssued = 0;
  /** Cumulative mode: elements sent again (in later frames), idle resends, the largest frame's data. */
  repeatedSent = 0;
  resends = 0;
  largestFrame = 0;
  /** Trace streams opened so far. */
  traceStreamsOpened = 0;
  /** Metrics returned by `metrics` frames. */
  metrics: { id: string; type: 'counter' | 'gauge' | 'histogram'; value?: number; count?: number; sum?: number }[] = [];
  /** Return 401 from the token routes even for good credentials. */
  refuseAuth = false;
  /** Close every trace stream right after its greeting ping (v0.16): a server or proxy that flaps. */
  dropAfterGreeting = false;
  port = 0;
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  private streams = new Set<Stream>();
  private pending: string[] = [];
  private tokens = new Map<string, { kind: 'tracing' | 'metrics'; expires: number }>();
  private faults: ('cut' | 'malformed' | { oversize: number })[] = [];
  private stalled = false;
  private lastWrite = new Map<Stream, number>();
  /** Cumulative mode: every element sent on each stream so far. */
  private lists = new Map<Stream, string[]>();
  private timer: NodeJS.Timeout | undefined;
  private readonly o: Required<StalwartServerOptions>;

  constructor(opts: StalwartServerOptions) {
    this.o = {
      users: [{ username: 'admin', secret: 'secret' }],
      apiKeys: [],
      tokenTtlMs: 60_000,
      batchMs: 1000,
      pingMs: 30_000,
      metricsSecondMs: 1000,
      now: Date.now,
      cumulative: false,
      ...opts,
    };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get traceStreams(): number {
    return [...this.streams].filter((s) => s.kind === 'traces').length;
  }

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.timer = setInterval(() => this.tick(), Math.max(5, Math.min(this.o.batchMs, this.o.pingMs) / 2));
    return this;
  }

  /** Closes every connection and the listener (events still queued wait for the next start). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const s of this.streams) s.res.destroy();
    this.streams.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server?.close(r));
    this.server = undefined;
  }

  /** Stops and listens again on the same port: a server restart under a connected client. */
  async restart(): Promise<void> {
    const port = this.port;
    await this.stop();
    this.tokens.clear();
    await this.start(port);
  }

  /** Queues events for the trace streams, in the live-trace element shape of the server's generation. */
  emit(events: readonly TelemetryEvent[]): void {
    for (const ev of events) this.pending.push(this.o.api === 'v0.16' ? liveElementV016(ev) : liveElement(ev));
  }

  /** Queues raw elements (already JSON), e.g. for unknown or odd events. */
  emitRaw(elements: string[]): void {
    this.pending.push(...elements);
  }

  get queued(): number {
    return this.pending.length;
  }

  /** The next frame is cut in the middle and the connection dropped. */
  cutNextFrame(): void {
    this.faults.push('cut');
  }

  /** Sends one frame whose data is not JSON. */
  sendMalformed(): void {
    this.faults.push('malformed');
  }

  /** Sends one trace frame of about `bytes` bytes. */
  sendOversize(bytes: number): void {
    this.faults.push({ oversize: bytes });
  }

  /** Sends nothing at all (no frames, no pings) while true. */
  stall(on: boolean): void {
    this.stalled = on;
  }

  /** Makes every issued token expire now. */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expires = 0;
  }

  /** Drops every open stream connection (the client must reconnect). */
  dropStreams(): void {
    for (const s of this.streams) s.res.destroy();
    this.streams.clear();
  }

  private record(req: IncomingMessage, path: string, query: URLSearchParams, status: number, auth: RequestRecord['auth']): void {
    this.requests.push({ at: this.o.now(), method: req.method ?? 'GET', path, query: Object.fromEntries(query), status, auth });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname;
    const routes = this.routes();
    const auth = this.headerAuth(req.headers.authorization);
    const reply = (status: number, body: string, type = 'application/json') => {
      this.record(req, path, u.searchParams, status, auth);
      res.writeHead(status, { 'Content-Type': type, ...(status === 401 ? { 'WWW-Authenticate': 'Basic realm="Stalwart Server"' } : {}) });
      res.end(body);
    };
    if (!routes || req.method !== 'GET') return reply(404, NOT_FOUND);
    const tokenKind = path === routes.tracingToken ? 'tracing' : path === routes.metricsToken ? 'metrics' : undefined;
    if (tokenKind) {
      if (auth === 'none' || this.refuseAuth) return reply(401, UNAUTHORIZED);
      const token = randomBytes(24).toString('base64url');
      this.tokens.set(token, { kind: tokenKind, expires: this.o.now() + this.o.tokenTtlMs });
      this.tokensIssued++;
      if (this.o.api === 'v0.15') return reply(200, JSON.stringify({ data: token }));
      return reply(200, token, 'text/plain; charset=utf-8');
    }
    const streamKind = path === routes.tracing ? 'tracing' : path === routes.metrics ? 'metrics' : undefined;
    if (!streamKind) return reply(auth === 'none' ? 401 : 404, auth === 'none' ? UNAUTHORIZED : NOT_FOUND);
    const token = u.searchParams.get('token');
    const t = token === null ? undefined : this.tokens.get(token);
    const tokenOk = t !== undefined && t.kind === streamKind && t.expires > this.o.now();
    if (!tokenOk && auth === 'none') return reply(401, UNAUTHORIZED);
    this.record(req, path, u.searchParams, 200, tokenOk ? 'token' : auth);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    res.flushHeaders();
    const stream: Stream = { res, kind: streamKind === 'tracing' ? 'traces' : 'metrics' };
    this.streams.add(stream);
    this.lastWrite.set(stream, Date.now());
    if (stream.kind === 'traces') this.traceStreamsOpened++;
    res.on('close', () => {
      this.streams.delete(stream);
      this.lastWrite.delete(stream);
      this.lists.delete(stream);
    });
    if (stream.kind === 'metrics') this.metricsLoop(stream, Math.max(1, Number(u.searchParams.get('interval') ?? 30) || 30));
    // v0.16 greets with a ping at once (crates/http/src/api/telemetry.rs); v0.15 waits.
    else if (this.o.api === 'v0.16') {
      this.pings++;
      this.write(stream, `event: ping\ndata: {"interval": ${this.o.pingMs}}\n\n`);
      if (this.dropAfterGreeting) res.end();
    }
  }

  private metricsLoop(stream: Stream, intervalS: number): void {
    const send = () => {
      if (!this.streams.has(stream) || this.stalled) return;
      const body = this.metrics.map((m) => (this.o.api === 'v0.16' ? metricV016(m) : metricV015(m))).join(',');
      stream.res.write(`event: metrics\ndata: [${body}]\n\n`);
    };
    send();
    const timer = setInterval(send, intervalS * this.o.metricsSecondMs);
    stream.res.on('close', () => clearInterval(timer));
  }

  private tick(): void {
    if (this.stalled) return;
    const now = Date.now();
    for (const s of [...this.streams]) {
      if (s.kind !== 'traces') continue;
      const fault = this.faults.shift();
      if (fault === 'malformed') {
        this.malformedSent++;
        this.write(s, 'event: trace\ndata: [{"text":"cut","type":\n\n');
        continue;
      }
      if (fault !== undefined && typeof fault === 'object') {
        this.oversizeSent++;
        this.write(s, `event: trace\ndata: [${'{"type":"x","data":{}},'.repeat(Math.ceil(fault.oversize / 23))}{"type":"x","data":{}}]\n\n`);
        continue;
      }
      if (this.pending.length > 0) {
        const batch = this.pending.splice(0, 5000);
        const frame = this.traceFrame(s, batch);
        if (fault === 'cut') {
          this.cutFrames++;
          this.cutEvents += batch.length;
          s.res.write(frame.slice(0, Math.floor(frame.length / 2)), () => s.res.destroy());
          this.streams.delete(s);
          continue;
        }
        if (fault !== undefined) this.faults.unshift(fault);
        this.frames++;
        this.sent += batch.length;
        this.write(s, frame);
      } else {
        if (fault !== undefined) this.faults.unshift(fault);
        const list = this.lists.get(s);
        if (list !== undefined && now - (this.lastWrite.get(s) ?? now) >= this.o.pingMs) {
          // v0.16: the list is never empty again, so no ping: the whole list once more.
          this.resends++;
          this.repeatedSent += list.length;
          this.write(s, this.traceFrame(s, []));
        } else if (now - (this.lastWrite.get(s) ?? now) >= this.o.pingMs) {
          this.pings++;
          this.write(s, `event: ping\ndata: {"interval": ${this.o.pingMs}}\n\n`);
        }
      }
    }
  }

  /** A trace frame with `batch`: alone, or (cumulative) after everything sent on this stream before. */
  private traceFrame(s: Stream, batch: string[]): string {
    if (!this.o.cumulative) return `event: trace\ndata: [${batch.join(',')}]\n\n`;
    const list = this.lists.get(s) ?? [];
    this.lists.set(s, list);
    this.repeatedSent += batch.length > 0 ? list.length : 0;
    list.push(...batch);
    const data = `[${list.join(',')}]`;
    this.largestFrame = Math.max(this.largestFrame, data.length);
    return `event: trace\ndata: ${data}\n\n`;
  }

  private write(s: Stream, text: string): void {
    this.lastWrite.set(s, Date.now());
    s.res.write(text);
  }

  private routes() {
    if (this.o.api === 'v0.15') {
      return { tracingToken: '/api/telemetry/live/tracing-token', metricsToken: '/api/telemetry/live/metrics-token', tracing: '/api/telemetry/traces/live', metrics: '/api/telemetry/metrics/live' };
    }
    if (this.o.api === 'v0.16') return { tracingToken: '/api/token/tracing', metricsToken: '/api/token/metrics', tracing: '/api/live/tracing', metrics: '/api/live/metrics' };
    return undefined;
  }

  private headerAuth(h: string | undefined): RequestRecord['auth'] {
    if (!h) return 'none';
    if (h.startsWith('Basic ')) {
      const [u, ...rest] = Buffer.from(h.slice(6), 'base64').toString('utf8').split(':');
      return this.o.users.some((x) => x.username === u && x.secret === rest.join(':')) ? 'basic' : 'none';
    }
    if (h.startsWith('Bearer ')) return this.o.apiKeys.includes(h.slice(7)) ? 'bearer' : 'none';
    return 'none';
  }
}

/**
 * One live-trace element as Stalwart writes it (docs/stalwart.md §4, §0): text, details, createdAt, type, data;
 * data holds the event's own keys, then its parent span's keys (first occurrence kept), no
 * spanId, no null values.
 */
export function liveElement(ev: TelemetryEvent): string {
  const text = JSON.stringify(ev.text);
  let data = '{';
  const seen = new Set<string>(['spanId']);
  for (const part of [ev.data, ev.span ?? {}]) {
    for (const k in part) {
      const v = part[k];
      if (v === null || v === undefined || seen.has(k)) continue;
      seen.add(k);
      data += (data.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + liveValue(v);
    }
  }
  return `{"text":${text},"details":${text},"createdAt":"${formatRfc3339Seconds(ev.createdAt)}","type":${JSON.stringify(ev.type)},"data":${data}}}`;
}

/** A value inside a live element: a nested event carries type, text, details and data (docs/stalwart.md §0). */
function liveValue(v: Value): string {
  if (Array.isArray(v)) return '[' + v.map(liveValue).join(',') + ']';
  if (v !== null && typeof v === 'object' && isNestedEvent(v)) {
    const text = JSON.stringify(eventInfo(v.type)?.description ?? v.type);
    let data = '{';
    for (const k in v.data) if (v.data[k] !== null) data += (data.length > 1 ? ',' : '') + JSON.stringify(k) + ':' + liveValue(v.data[k]!);
    return `{"type":${JSON.stringify(v.type)},"text":${text},"details":${text},"data":${data}}}`;
  }
  return encodeValue(v);
}

/**
 * One v0.16 live-trace element (crates/common/src/telemetry/tracers/mod.rs build_trace_events,
 * serialised as the registry's TraceEvent): `{"event","timestamp","keyValues"}`, keyValues a
 * registry List (an object keyed "0", "1", ...) of `{"key","value":{"@type",...}}` holding the
 * event's own keys only, `spanId` among them (first, as Stalwart's events put it, unless the
 * event says where), no parent span keys; a None value is `{"@type":"Null"}`.
 */
export function liveElementV016(ev: TelemetryEvent): string {
  const pairs: [string, Value | bigint][] = Object.entries(ev.data).filter(([k]) => k !== 'spanId');
  if (ev.spanId !== undefined) pairs.splice(Math.min(ev.spanAt ?? 0, pairs.length), 0, ['spanId', BigInt(ev.spanId)]);
  return `{"event":${JSON.stringify(ev.type)},"timestamp":"${formatRfc3339Seconds(ev.createdAt)}","keyValues":${listV016(pairs.map(([k, v]) => `{"key":${JSON.stringify(k)},"value":${valueV016(k, v)}}`))}}`;
}

/** A registry List: `{"0": a, "1": b}`. */
function listV016(items: string[]): string {
  return '{' + items.map((x, i) => `"${i}":${x}`).join(',') + '}';
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** A TraceValue, tagged as Stalwart's map_value tags it (IPs by the key naming one, `elapsed` a Duration). */
function valueV016(key: string, v: Value | bigint): string {
  if (typeof v === 'bigint') return `{"@type":"UnsignedInt","value":${v}}`;
  if (v === null) return '{"@type":"Null"}';
  if (typeof v === 'boolean') return `{"@type":"Boolean","value":${v}}`;
  if (typeof v === 'number') {
    const tag = !Number.isInteger(v) ? 'Float' : key === 'elapsed' ? 'Duration' : v < 0 ? 'Integer' : 'UnsignedInt';
    return `{"@type":"${tag}","value":${v}}`;
  }
  if (typeof v === 'string') {
    const tag = /Ip$/.test(key) ? 'IpAddr' : RFC3339.test(v) ? 'UTCDateTime' : 'String';
    return `{"@type":"${tag}","value":${JSON.stringify(v)}}`;
  }
  if (Array.isArray(v)) return `{"@type":"List","value":${listV016(v.map((x) => valueV016('', x)))}}`;
  if (isNestedEvent(v)) {
    return `{"@type":"Event","event":${JSON.stringify(v.type)},"value":${listV016(Object.entries(v.data).map(([k, x]) => `{"key":${JSON.stringify(k)},"value":${valueV016(k, x)}}`))}}`;
  }
  return `{"@type":"String","value":${JSON.stringify(String(v))}}`;
}
