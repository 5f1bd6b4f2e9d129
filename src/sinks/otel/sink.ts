import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { OtelTracerConfig } from './config.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import type { Sink, WriteResult } from '../../runtime/types.js';
import { readOtlpError } from '../../otlp/errors.js';
import { displayEndpoint, transportLabel } from '../../otlp/endpoint.js';
import { exportWithTimeout } from '../../otlp/export.js';
import { maskUrl } from '../../config/mask.js';
import { loadExporters, type Exporter, type Exporters } from './exporters.js';
import { buildLogRecord, buildSpan, type RecordContext } from './records.js';
import { SpanTracker } from './spans.js';
import { importCjs } from '../../import-cjs.js';

/** Records held while the collector is down; past these the oldest are discarded (Stalwart's caps). */
const MAX_PENDING_LOGS = 1 << 16;
const MAX_PENDING_SPANS = 1 << 14;
/** Records per OTLP request, so one request stays well under a collector's 4 MiB gRPC limit. */
const LOGS_PER_REQUEST = 2048;
const SPANS_PER_REQUEST = 128;

/**
 * The `open-telemetry` tracer (docs/stalwart.md §1d). Every event becomes a log record; spans are built from
 * span start/end with the held events as span events. `write` turns the batch into records,
 * exports what is pending once, and keeps what failed for the next call. Events already seen
 * (a batch handed in again after a failure) are recognised by `seq` and not counted twice.
 */
export async function createOtelTracerSink(cfg: OtelTracerConfig, serviceVersion: string): Promise<Sink> {
  let exporters: Exporters | undefined;
  let broken: string | undefined;
  try {
    exporters = await loadExporters(cfg, cfg.logExporter, cfg.spanExporter);
  } catch (err) {
    broken = `open-telemetry tracer ${cfg.id}: ${err instanceof Error ? err.message : String(err)}`;
  }
  const { resourceFromAttributes } = await importCjs(import('@opentelemetry/resources'));
  const ctx: RecordContext = {
    resource: resourceFromAttributes({ 'service.name': 'stalwart', 'service.version': serviceVersion }),
    scope: { name: 'stalwart', version: serviceVersion },
  };
  return new OtelTracerSink(cfg, `${transportLabel(cfg)} ${displayEndpoint(cfg)}`, ctx, exporters, broken);
}

class OtelTracerSink implements Sink {
  readonly type = 'otel';
  private readonly spans = new SpanTracker();
  private pendingLogs: ReadableLogRecord[] = [];
  private pendingSpans: ReadableSpan[] = [];
  private lastSeq = 0;
  private logsExported = 0;
  private spansExported = 0;
  private logsDiscarded = 0;
  private spansDiscarded = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly cfg: OtelTracerConfig,
    readonly target: string,
    private readonly ctx: RecordContext,
    private readonly exporters: Exporters | undefined,
    private readonly broken: string | undefined,
  ) {}

  get id(): string {
    return this.cfg.id;
  }

  async start(): Promise<WriteResult> {
    return this.broken ? { ok: false, error: this.broken, retry: false } : { ok: true };
  }

  write(batch: readonly TelemetryEvent[]): Promise<WriteResult> {
    return this.serial(async () => {
      if (this.broken) return { ok: false, error: this.broken, retry: false };
      if (this.closed) return { ok: false, error: 'open-telemetry tracer is closed', retry: false };
      try {
        this.ingest(batch);
        return await this.exportPending();
      } catch (err) {
        return { ok: false, error: err instanceof Error ? err.message : String(err), retry: true };
      }
    });
  }

  async flush(): Promise<void> {
    await this.serial(async () => {
      if (!this.broken && !this.closed) await this.exportPending().catch(() => undefined);
    });
  }

  async close(): Promise<void> {
    await this.serial(async () => {
      if (this.closed) return;
      this.closed = true;
      await Promise.all([this.exporters?.logs?.shutdown(), this.exporters?.spans?.shutdown()].map((p) => p?.catch(() => undefined)));
    });
  }

  details(): Record<string, string | number | boolean | null> {
    return {
      logsExported: this.logsExported,
      spansExported: this.spansExported,
      openSpans: this.spans.openSpans,
      pendingLogs: this.pendingLogs.length,
      pendingSpans: this.pendingSpans.length,
      discarded: this.logsDiscarded + this.spansDiscarded,
      spansEvicted: this.spans.evicted,
    };
  }

  /** Calls run one at a time: a flush never overlaps a write. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private ingest(batch: readonly TelemetryEvent[]): void {
    const now = Date.now();
    for (const ev of batch) {
      if (ev.seq > 0 && ev.seq <= this.lastSeq) continue;
      if (ev.seq > this.lastSeq) this.lastSeq = ev.seq;
      if (this.exporters?.logs) {
        if (this.pendingLogs.length >= MAX_PENDING_LOGS) {
          this.pendingLogs.shift();
          this.logsDiscarded += 1;
        }
        this.pendingLogs.push(buildLogRecord(ev, this.ctx, now));
      }
      if (this.exporters?.spans) {
        const done = this.spans.observe(ev);
        if (!done) continue;
        if (this.pendingSpans.length >= MAX_PENDING_SPANS) {
          this.pendingSpans.shift();
          this.spansDiscarded += 1;
        }
        this.pendingSpans.push(buildSpan(done.spanHex, done.events, done.droppedEvents, this.ctx));
      }
    }
  }

  /** Exports pending spans and logs in parallel; what failed stays pending unless permanent. */
  private async exportPending(): Promise<WriteResult> {
    const ex = this.exporters!;
    const [spans, logs] = await Promise.all([
      ex.spans ? this.drain(ex.spans, this.pendingSpans, SPANS_PER_REQUEST) : undefined,
      ex.logs ? this.drain(ex.logs, this.pendingLogs, LOGS_PER_REQUEST) : undefined,
    ]);
    this.spansExported += spans?.sent ?? 0;
    this.logsExported += logs?.sent ?? 0;
    const errors: string[] = [];
    let retry = false;
    for (const [part, r, url] of [['spans', spans, ex.spansUrl], ['logs', logs, ex.logsUrl]] as const) {
      if (!r?.failure) continue;
      errors.push(`${part} to ${maskUrl(url)}: ${r.failure.message}`);
      if (r.failure.retry) retry = true;
      else if (part === 'spans') this.pendingSpans = [];
      else this.pendingLogs = [];
    }
    return errors.length ? { ok: false, error: errors.join('; '), retry } : { ok: true };
  }

  /** Sends `pending` in requests of `per` items, removing each request's items once accepted. */
  private async drain<T>(exporter: Exporter<T>, pending: T[], per: number) {
    let sent = 0;
    while (pending.length > 0) {
      const chunk = pending.slice(0, per);
      const result = await exportWithTimeout(exporter, chunk, this.cfg.timeoutMs);
      if (result.code !== 0) return { sent, failure: readOtlpError(result.error) };
      pending.splice(0, chunk.length);
      sent += chunk.length;
    }
    return { sent, failure: undefined };
  }
}
