import type { WebhookConfig } from './config.js';
import { maskUrl } from '../../config/mask.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import type { SinkState, SinkStatus, SubscriberOptions } from '../../runtime/types.js';
import { WebhookDelivery, WEBHOOK_ERROR, type DeliveryHooks } from './delivery.js';
import type { WebhookLedger } from './ledger.js';

const LEDGER_STATE: Record<WebhookLedger['state'], SinkState> = {
  idle: 'ok',
  sending: 'ok',
  ok: 'ok',
  retrying: 'retrying',
  disabled: 'disabled',
  stopped: 'stopped',
};

/**
 * A webhook in the runtime's subscriber list: the collector offers it the events its filter
 * selects, the status store reads a sink row (numbered, switchable like a tracer) and the
 * delivery ledger. Its queue, throttle and retry are the webhook's own delivery loop, not the
 * generic subscriber's: they follow Stalwart's webhook rules.
 */
export class WebhookSubscriber {
  readonly delivery: WebhookDelivery;
  readonly opts: SubscriberOptions;

  constructor(
    readonly cfg: WebhookConfig,
    readonly filter: (type: string, level: TelemetryEvent['level']) => boolean,
    readonly eventsSelected: number,
    hooks: DeliveryHooks,
  ) {
    this.delivery = new WebhookDelivery(cfg, hooks);
    this.opts = {
      id: `w_${cfg.id}`,
      lossy: cfg.lossy,
      queueSize: cfg.queueSize,
      batchSize: cfg.queueSize,
      throttleMs: cfg.throttleMs,
      discardAfterMs: cfg.discardAfterMs,
      errorEvent: WEBHOOK_ERROR,
    };
    if (!cfg.enable) this.delivery.setEnabled(false);
  }

  /** The identity fields the runtime's commands look up (`toggle-sink` by id or subscriber id). */
  get counters(): { id: string; subscriberId: string; type: string; enabled: boolean } {
    return { id: this.cfg.id, subscriberId: this.opts.id, type: 'webhook', enabled: this.delivery.enabled };
  }

  get full(): boolean {
    return this.delivery.full;
  }

  get depth(): number {
    return this.delivery.depth;
  }

  offer(ev: TelemetryEvent): boolean {
    return this.delivery.offer(ev);
  }

  setEnabled(enabled: boolean): void {
    this.delivery.setEnabled(enabled);
  }

  async start(): Promise<void> {}

  flushNow(): void {
    this.delivery.flushNow();
  }

  idle(): Promise<void> {
    return this.delivery.idle();
  }

  stop(deadline: number): Promise<void> {
    return this.delivery.stop(deadline);
  }

  ledger(now: number): WebhookLedger {
    return this.delivery.ledger(now);
  }

  /** The sink row: delivered as written, stale discards as intentional drops, shed/lost as failed drops. */
  status(now: number): SinkStatus {
    const l = this.delivery.ledger(now);
    const d = this.delivery;
    return {
      id: this.cfg.id,
      subscriberId: this.opts.id,
      type: 'webhook',
      target: maskUrl(this.cfg.url),
      enabled: l.enabled,
      state: LEDGER_STATE[l.state],
      lossy: this.cfg.lossy,
      eventsSelected: this.eventsSelected,
      received: l.received,
      written: l.delivered,
      droppedIntentional: l.discarded,
      droppedError: l.dropped,
      skipped: l.skipped,
      queueDepth: l.pending,
      queueCapacity: this.cfg.queueSize,
      rate1s: l.rate1s,
      rate10s: l.rate10s,
      history: d.history(now),
      writes: l.attempts,
      failures: l.failedAttempts,
      ...(l.lastError ? { lastError: l.lastError } : {}),
      ...(l.lastSuccessAt !== undefined ? { lastSuccessAt: l.lastSuccessAt } : {}),
      details: {
        pending: l.pending,
        inFlight: l.inFlight,
        oldestPendingAgeMs: l.oldestPendingAgeMs ?? null,
        discardAfterMs: l.discardAfterMs,
        nextAttemptAt: l.nextAttemptAt ?? null,
        lastStatus: l.lastStatus ?? null,
        lastLatencyMs: l.lastLatencyMs ?? null,
      },
    };
  }
}
