import { EVENTS } from '../../../src/catalogue/index.js';
import type { WebhookConfig } from '../../../src/sinks/webhook/config.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { WebhookDelivery } from '../../../src/sinks/webhook/delivery.js';

export const INFO = EVENTS.find((e) => e.level === 'info' && e.inV15)!.name;
export const ERROR = EVENTS.find((e) => e.level === 'error' && e.inV15)!.name;

let seq = 0;
export function event(n: number, opts: { type?: string; createdAt?: number; level?: TelemetryEvent['level'] } = {}): TelemetryEvent {
  return { seq: ++seq, type: opts.type ?? INFO, level: opts.level ?? 'info', createdAt: opts.createdAt ?? Date.now(), data: { n }, text: 'x' };
}

export function hookConfig(url: string, over: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    id: 'hook',
    enable: true,
    url,
    events: { policy: 'include', patterns: [] },
    timeoutMs: 5000,
    throttleMs: 50,
    discardAfterMs: 300_000,
    headers: {},
    allowInvalidCerts: false,
    lossy: false,
    queueSize: 1000,
    place: { file: 't.toml', line: 1, col: 1, key: 'webhook.hook' },
    ...over,
  };
}

export interface Raised {
  type: string;
  data: Record<string, string | number>;
}

export function makeDelivery(url: string, over: Partial<WebhookConfig> = {}) {
  const raised: Raised[] = [];
  const messages: string[] = [];
  let drains = 0;
  const d = new WebhookDelivery(hookConfig(url, over), {
    raise: (type, data) => raised.push({ type, data }),
    message: (_level, text) => messages.push(text),
    onDrain: () => drains++,
    now: Date.now,
  });
  return { d, raised, messages, drains: () => drains };
}

/** received = delivered + discarded + dropped + pending, the ledger's invariant. */
export function balance(d: WebhookDelivery) {
  const l = d.ledger(Date.now());
  return { received: l.received, sum: l.delivered + l.discarded + l.dropped + l.pending };
}

/** The `n` keys the receiver got, in arrival order. */
export function receivedNs(events: { data: Record<string, unknown> }[]): number[] {
  return events.map((e) => e.data.n as number);
}
