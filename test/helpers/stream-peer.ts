/**
 * Peers for mailtel's event-stream server: a listener with a StreamServer on 127.0.0.1:0,
 * an `eventsource` client that records named events, a raw SSE reader without timers (for fake
 * timers), and curl for the token routes.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { EventSource } from 'eventsource';
import { eventInfo } from '../../src/catalogue/index.js';
import type { HttpListenerConfig } from '../../src/http/config.js';
import { startHttpServer, type HttpServer } from '../../src/http/server.js';
import { StreamServer } from '../../src/http/streams.js';
import { createMetrics, type Metrics } from '../../src/metrics/index.js';
import type { EventData, TelemetryEvent } from '../../src/runtime/event.js';

export interface StreamPeer {
  http: HttpServer;
  streams: StreamServer;
  metrics: Metrics;
  messages: string[];
  /** Collector stand-in: feeds metrics and the streams, as the runtime does. */
  emit(ev: TelemetryEvent): void;
  close(): Promise<void>;
}

export async function startStreamPeer(cfg: Partial<HttpListenerConfig> = {}, now?: () => number): Promise<StreamPeer> {
  const http = await startHttpServer('127.0.0.1:0');
  const metrics = createMetrics({ disabledEvents: [] });
  const messages: string[] = [];
  const config: HttpListenerConfig = { listen: '127.0.0.1:0', auth: {}, maxClients: 64, clientBufferBytes: 16 * 1024 * 1024, ...cfg };
  const streams = new StreamServer(config, { metrics: () => metrics.snapshot('total'), message: (level, text) => messages.push(`${level}: ${text}`), ...(now ? { now } : {}) });
  streams.attach(http);
  return {
    http,
    streams,
    metrics,
    messages,
    emit(ev) {
      metrics.observe(ev);
      streams.observe(ev);
    },
    async close() {
      streams.close();
      await http.close();
    },
  };
}

let seq = 0;
export function tev(type: string, data: EventData = {}, extra: Partial<TelemetryEvent> = {}): TelemetryEvent {
  const info = eventInfo(type);
  return { seq: ++seq, type, level: info?.level ?? 'info', createdAt: Date.UTC(2025, 5, 15, 18, 2, 57), data, text: info?.description ?? type, ...extra };
}

export interface Recorded {
  type: string;
  data: string;
  at: number;
}

/** An `eventsource` client (Stalwart's web admin and live source use the same API) recording named events. */
export function openEventSource(url: string, headers: Record<string, string> = {}): { es: EventSource; events: Recorded[]; opened: Promise<void>; errors: unknown[] } {
  const events: Recorded[] = [];
  const errors: unknown[] = [];
  const es = new EventSource(url, { fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) });
  for (const type of ['trace', 'ping', 'metrics']) es.addEventListener(type, (e) => events.push({ type, data: (e as MessageEvent).data as string, at: Date.now() }));
  es.addEventListener('error', (e) => errors.push(e));
  const opened = new Promise<void>((resolve, reject) => {
    es.addEventListener('open', () => resolve());
    es.addEventListener('error', (e) => reject(new Error(`eventsource: ${(e as { message?: string }).message ?? 'error'} (${(e as { code?: number }).code ?? ''})`)));
  });
  return { es, events, opened, errors };
}

/** A plain GET that keeps the response open and collects its body as text; no timers involved. */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ res: http.IncomingMessage; body: () => string; req: http.ClientRequest; next: (pred: (body: string) => boolean) => Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let text = '';
      const waiters: { pred: (b: string) => boolean; resolve: (b: string) => void }[] = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        for (const w of [...waiters]) if (w.pred(text)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(text);
        }
      });
      resolve({
        res,
        req,
        body: () => text,
        next: (pred) => (pred(text) ? Promise.resolve(text) : new Promise((r) => waiters.push({ pred, resolve: r }))),
      });
    });
    req.on('error', reject);
  });
}

/** Runs curl (as an administrator would for a token); resolves with status and body. */
export function curl(url: string, args: string[] = []): Promise<{ status: number; body: string; contentType: string }> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sS', '-o', '-', '-w', '\n%{http_code} %{content_type}', ...args, url], { timeout: 10_000 }, (err, stdout) => {
      if (err) return reject(err);
      const cut = stdout.lastIndexOf('\n');
      const [status, contentType] = stdout.slice(cut + 1).split(' ');
      resolve({ status: Number(status), body: stdout.slice(0, cut), contentType: contentType ?? '' });
    });
  });
}

/** The JSON arrays of every `event: trace` frame in a raw SSE body. */
export function traceFrames(body: string): unknown[][] {
  return [...body.matchAll(/event: trace\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!) as unknown[]);
}
