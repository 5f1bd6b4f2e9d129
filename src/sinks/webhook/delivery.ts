import type { WebhookConfig } from './config.js';
import { maskUrl } from '../../config/mask.js';
import type { Level } from '../../catalogue/types.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import { RateCounter } from '../../runtime/rate.js';
import { batchBody, EventBytes, type PendingEvent } from './body.js';
import { baseHeaders, maskedHeaders, requestHeaders, type Header } from './headers.js';
import { AttemptLog, type LastRequest, type WebhookLedger } from './ledger.js';
import { PendingList } from './pending.js';
import { postOnce, type PostResult } from './request.js';

export const WEBHOOK_ERROR = 'telemetry.webhook-error';
const EXCERPT = 600;

/** The body's first characters for the detail view (a cut UTF-8 sequence is dropped). */
function excerpt(body: Buffer): string {
  if (body.length <= EXCERPT) return body.toString('utf8');
  return body.subarray(0, EXCERPT).toString('utf8').replace(/\uFFFD$/, '') + '…';
}

export interface DeliveryHooks {
  /** Raises one of the runtime's own events (`telemetry.webhook-error`). */
  raise(type: string, data: Record<string, string | number>): void;
  /** The console's own log. */
  message(level: 'info' | 'warn' | 'error', text: string): void;
  /** The pending list went below queue-size or stopped holding the sources. */
  onDrain(): void;
  now(): number;
}

/**
 * One webhook's delivery loop, as Stalwart's (crates/common/src/telemetry/webhooks/mod.rs):
 * a pending list; events at least `discard-after` old are dropped on receipt and counted
 * ("Discarded stale events", `total`); when the throttle window has passed and no request is in
 * flight the whole pending list is POSTed; the next window opens `throttle` after that send; a
 * failed batch goes back to the front and is re-checked for staleness; any 2xx is success.
 *
 * mailtel's differences (docs/config.md): when the window opens while a request is in flight,
 * the pending events go as soon as it returns (Stalwart waits for the next incoming event); the
 * pending list is bounded by `queue-size`: while the receiver fails (or with `lossy`) the oldest
 * events beyond it are shed, errors kept first, and counted as dropped; while the receiver answers,
 * a full list holds the sources back (backpressure) unless `lossy`. Each event is encoded when
 * it is received (body.ts), while the previous request is in flight: a send only copies and signs.
 */
export class WebhookDelivery {
  readonly url: URL;
  private readonly base: Header[];
  /** Each event with its JSON bytes, encoded on arrival: a send only copies and signs. */
  private readonly pending = new PendingList<PendingEvent>();
  private readonly bytes: EventBytes;
  private inFlight: PendingEvent[] | undefined;
  private nextDelivery = 0;
  private timer: NodeJS.Timeout | undefined;
  private staleToReport = 0;
  private stopping = false;
  private deadline = Infinity;
  private abort: AbortController | undefined;
  private waiters: (() => void)[] = [];
  private readonly rate = new RateCounter();
  private readonly log = new AttemptLog();
  private lastRequest: LastRequest | undefined;
  private stopped = false;
  enabled = true;
  readonly totals = { received: 0, skipped: 0, delivered: 0, discarded: 0, dropped: 0, attempts: 0, failedAttempts: 0 };
  consecutiveFailures = 0;
  lastStatus: number | undefined;
  lastLatencyMs: number | undefined;
  lastError: { message: string; at: number } | undefined;
  lastSuccessAt: number | undefined;

  constructor(
    readonly cfg: WebhookConfig,
    private readonly hooks: DeliveryHooks,
  ) {
    this.url = new URL(cfg.url);
    this.base = baseHeaders(cfg);
    this.bytes = new EventBytes(cfg.signatureKey);
  }

  private get discardAfterSec(): number {
    return Math.floor(this.cfg.discardAfterMs / 1000);
  }

  /** Stalwart's staleness test, in whole seconds: now - timestamp >= discard-after. */
  private isStale(ev: TelemetryEvent, nowSec: number): boolean {
    return nowSec - Math.floor(ev.createdAt / 1000) >= this.discardAfterSec;
  }

  get depth(): number {
    return this.pending.length + (this.inFlight?.length ?? 0);
  }

  /** True while this webhook holds the sources back: answering, not lossy, pending list full. */
  get full(): boolean {
    return this.enabled && !this.cfg.lossy && this.consecutiveFailures === 0 && this.pending.length >= this.cfg.queueSize;
  }

  /** Takes one selected event. Returns true when the sources should now wait (see `full`). */
  offer(ev: TelemetryEvent): boolean {
    if (!this.enabled || this.stopped) {
      this.totals.skipped++;
      return false;
    }
    this.totals.received++;
    if (this.isStale(ev, Math.floor(this.hooks.now() / 1000))) {
      this.discard(1);
      return false;
    }
    this.pending.push(this.bytes.add(ev));
    if (this.pending.length > this.cfg.queueSize && (this.cfg.lossy || this.consecutiveFailures > 0)) this.shed();
    if (this.pending.length === 1 || !this.timer) this.schedule();
    return this.full;
  }

  /** Beyond queue-size: drop the oldest non-error events first, down to a little under the bound. */
  private shed(): void {
    const q = this.cfg.queueSize;
    const target = q - Math.min(Math.floor(q / 16), 1024);
    const n = this.pending.removeOldest(this.pending.length - target, (p) => p.ev.level !== ('error' satisfies Level));
    this.totals.dropped += n;
    this.bytes.invalidate();
    this.bytes.compact(this.pending.toArray());
  }

  private discard(n: number): void {
    this.totals.discarded += n;
    if (this.staleToReport === 0) {
      setImmediate(() => {
        const total = this.staleToReport;
        this.staleToReport = 0;
        this.hooks.raise(WEBHOOK_ERROR, { details: 'Discarded stale events', total });
      });
    }
    this.staleToReport += n;
  }

  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    if (!enabled) this.hooks.onDrain();
  }

  /** The `flush now` command: sends the pending list at once, ignoring the throttle window. */
  flushNow(): void {
    this.nextDelivery = 0;
    this.schedule();
  }

  /** Sends when allowed, or arms the timer for when the window opens. */
  private schedule(): void {
    if (this.inFlight || this.pending.length === 0) return;
    const now = this.hooks.now();
    const wait = this.stopping ? 0 : this.nextDelivery - now;
    if (wait <= 0) {
      this.clearTimer();
      void this.send();
      return;
    }
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.schedule();
    }, wait);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async send(): Promise<void> {
    const batch = this.pending.takeAll();
    const started = this.hooks.now();
    this.nextDelivery = started + this.cfg.throttleMs;
    this.inFlight = batch;
    // The pending list is empty again: sources held back by a full list may go on meanwhile.
    if (batch.length >= this.cfg.queueSize) this.hooks.onDrain();
    const body = batchBody(batch);
    const headers = requestHeaders(this.base, this.url, body.length, this.bytes.sign(batch, body));
    this.lastRequest = {
      at: started,
      url: maskUrl(this.cfg.url),
      headers: maskedHeaders(headers),
      bodyExcerpt: excerpt(body),
      bytes: body.length,
    };
    this.abort = new AbortController();
    const timeoutMs = this.stopping ? Math.max(1, Math.min(this.cfg.timeoutMs, this.deadline - started)) : this.cfg.timeoutMs;
    const res = await postOnce(this.url, headers, body, { timeoutMs, allowInvalidCerts: this.cfg.allowInvalidCerts, signal: this.abort.signal });
    this.abort = undefined;
    this.inFlight = undefined;
    this.settle(batch, body.length, started, res);
  }

  private settle(batch: PendingEvent[], bytes: number, started: number, res: PostResult): void {
    const now = this.hooks.now();
    const t = this.totals;
    t.attempts++;
    this.lastStatus = res.status;
    this.lastLatencyMs = res.latencyMs;
    const attempt = this.consecutiveFailures + 1;
    if (res.error === undefined) {
      t.delivered += batch.length;
      this.rate.add(batch.length, now);
      this.consecutiveFailures = 0;
      this.lastSuccessAt = now;
    } else {
      t.failedAttempts++;
      const wasAnswering = this.consecutiveFailures === 0;
      this.consecutiveFailures++;
      // The event carries Stalwart's text; the ledger and the message add the cause it leaves out.
      const shown = res.cause !== undefined ? `${res.error}: ${res.cause}` : res.error;
      this.lastError = { message: shown, at: now };
      this.hooks.message('error', `webhook ${this.cfg.id}: ${shown}`);
      if (!this.stopped) this.hooks.raise(WEBHOOK_ERROR, { details: res.error });
      this.pending.unshiftAll(batch);
      this.bytes.invalidate();
      const nowSec = Math.floor(now / 1000);
      const stale = this.pending.removeWhere((p) => this.isStale(p.ev, nowSec));
      if (stale > 0) this.discard(stale);
      if (this.pending.length > this.cfg.queueSize) this.shed();
      else if (stale > 0) this.bytes.compact(this.pending.toArray());
      if (wasAnswering) this.hooks.onDrain();
    }
    this.log.add({
      at: started,
      events: batch.length,
      bytes,
      ...(res.status !== undefined ? { status: res.status } : {}),
      ...(res.error !== undefined ? { error: res.cause !== undefined ? `${res.error}: ${res.cause}` : res.error } : {}),
      latencyMs: res.latencyMs,
      attempt,
      ...(this.pending.length > 0 ? { nextAttemptAt: Math.max(now, this.nextDelivery) } : {}),
    });
    if (this.pending.length < this.cfg.queueSize) this.hooks.onDrain();
    if (this.stopped || (this.stopping && now >= this.deadline)) return this.notify();
    if (this.stopping && res.error !== undefined) {
      // Shutdown: retry at the throttle pace, never past the deadline.
      const wait = Math.min(this.cfg.throttleMs, this.deadline - now);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.schedule();
      }, wait);
      return;
    }
    this.schedule();
    this.notify();
  }

  /** Resolves when nothing is pending or in flight (or at the stop deadline). */
  idle(): Promise<void> {
    if (this.depth === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private notify(): void {
    if (this.depth !== 0 && !(this.stopping && this.hooks.now() >= this.deadline)) return;
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }

  /**
   * Shutdown: sends what is pending at once (no throttle), retries failures until `deadline`,
   * then aborts what is still in flight and counts every event not delivered as dropped, with a
   * message that says how many.
   */
  async stop(deadline: number): Promise<void> {
    if (this.stopped) return;
    this.stopping = true;
    this.deadline = deadline;
    this.clearTimer();
    this.schedule();
    const left = Math.max(0, deadline - this.hooks.now());
    let expire: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((r) => (expire = setTimeout(r, left)))]);
    clearTimeout(expire);
    this.clearTimer();
    this.stopped = true;
    if (this.inFlight) {
      const flying = this.inFlight;
      this.abort?.abort();
      await new Promise<void>((r) => setImmediate(r));
      // The aborted batch went back to pending in settle().
      if (this.inFlight === flying) this.inFlight = undefined;
    }
    const lost = this.pending.takeAll().length + (this.inFlight?.length ?? 0);
    this.inFlight = undefined;
    if (lost > 0) {
      this.totals.dropped += lost;
      this.lastError = { message: `${lost} events still pending at shutdown`, at: this.hooks.now() };
      this.hooks.message('error', `webhook ${this.cfg.id}: ${lost} events still pending at shutdown were not delivered`);
    }
    this.notify();
  }

  /** Delivered per second for the last 60 whole seconds, oldest first (sparkline). */
  history(now: number): number[] {
    return this.rate.history(now);
  }

  /** The ledger the status store, the pane and `--status-json` show. */
  ledger(now: number): WebhookLedger {
    const oldest = (this.inFlight?.[0] ?? this.pending.peek())?.ev;
    const pending = this.depth;
    const state: WebhookLedger['state'] = this.stopped
      ? 'stopped'
      : !this.enabled && pending === 0
        ? 'disabled'
        : this.consecutiveFailures > 0
          ? 'retrying'
          : this.inFlight
            ? 'sending'
            : this.totals.attempts > 0
              ? 'ok'
              : 'idle';
    const a = this.cfg.auth;
    return {
      id: this.cfg.id,
      url: maskUrl(this.cfg.url),
      enabled: this.enabled,
      state,
      throttleMs: this.cfg.throttleMs,
      timeoutMs: this.cfg.timeoutMs,
      discardAfterMs: this.cfg.discardAfterMs,
      queueSize: this.cfg.queueSize,
      signed: Boolean(this.cfg.signatureKey),
      auth: !a ? 'none' : 'token' in a ? 'bearer' : 'basic',
      ...this.totals,
      pending,
      inFlight: this.inFlight?.length ?? 0,
      ...(oldest ? { oldestPendingAgeMs: Math.max(0, now - oldest.createdAt) } : {}),
      ...(this.pending.length > 0 && !this.stopped ? { nextAttemptAt: Math.max(now, this.nextDelivery) } : {}),
      consecutiveFailures: this.consecutiveFailures,
      ...(this.lastStatus !== undefined ? { lastStatus: this.lastStatus } : {}),
      ...(this.lastLatencyMs !== undefined ? { lastLatencyMs: this.lastLatencyMs } : {}),
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
      ...(this.lastSuccessAt !== undefined ? { lastSuccessAt: this.lastSuccessAt } : {}),
      rate1s: this.rate.rate1s(now),
      rate10s: this.rate.rate10s(now),
      recent: this.log.list(),
      ...(this.lastRequest ? { lastRequest: { ...this.lastRequest, headers: this.lastRequest.headers.map((h) => [...h] as Header) } } : {}),
    };
  }
}
