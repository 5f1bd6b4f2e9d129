import type { Header } from './headers.js';

/** One POST attempt, as the webhooks pane and `--status-json` show it. */
export interface WebhookAttempt {
  /** When the request started (ms). */
  at: number;
  events: number;
  bytes: number;
  /** The HTTP status, when the receiver answered. */
  status?: number;
  /** Stalwart's error text when the attempt failed. */
  error?: string;
  latencyMs: number;
  /** 1 for a batch's first try, 2 for its first retry... */
  attempt: number;
  /** When the next attempt was due as this one ended (pending events left), ms. */
  nextAttemptAt?: number;
}

/** The last request as sent, for the detail view: credentials masked, body cut short. */
export interface LastRequest {
  at: number;
  url: string;
  headers: Header[];
  bodyExcerpt: string;
  bytes: number;
}

/** Per-webhook delivery ledger in the status store. */
export interface WebhookLedger {
  id: string;
  /** URL with secrets masked. */
  url: string;
  enabled: boolean;
  state: 'idle' | 'sending' | 'ok' | 'retrying' | 'disabled' | 'stopped';
  throttleMs: number;
  timeoutMs: number;
  discardAfterMs: number;
  queueSize: number;
  signed: boolean;
  auth: 'none' | 'basic' | 'bearer';
  /** Events accepted for delivery (after selection, while enabled). */
  received: number;
  /** Offered while switched off: counted, not queued. */
  skipped: number;
  /** Delivered: the receiver answered 2xx for them. */
  delivered: number;
  /** Dropped on receipt or retry because older than discard-after. */
  discarded: number;
  /** Shed beyond queue-size while the receiver failed (or lossy), or lost at shutdown. */
  dropped: number;
  /** Waiting for the next window, plus the batch in flight. */
  pending: number;
  inFlight: number;
  /** Age of the oldest pending event (ms), against discardAfterMs. */
  oldestPendingAgeMs?: number;
  /** When the next POST is due (ms); undefined with nothing pending. */
  nextAttemptAt?: number;
  attempts: number;
  failedAttempts: number;
  /** Successive failures of the current batch (0 once it went through). */
  consecutiveFailures: number;
  lastStatus?: number;
  lastLatencyMs?: number;
  lastError?: { message: string; at: number };
  lastSuccessAt?: number;
  /** Delivered events per second over the last whole second and the last ten. */
  rate1s: number;
  rate10s: number;
  /** Recent attempts, newest first. */
  recent: WebhookAttempt[];
  lastRequest?: LastRequest;
}

/** Most attempts kept per webhook. */
export const LEDGER_SIZE = 50;

/** Newest-first ring of attempts. */
export class AttemptLog {
  private items: WebhookAttempt[] = [];

  add(a: WebhookAttempt): void {
    this.items.unshift(a);
    if (this.items.length > LEDGER_SIZE) this.items.length = LEDGER_SIZE;
  }

  list(): WebhookAttempt[] {
    return this.items.map((a) => ({ ...a }));
  }
}
