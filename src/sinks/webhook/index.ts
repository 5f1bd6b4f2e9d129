import { OWN_ERROR_EVENT } from '../../catalogue/index.js';
import { formatDuration } from '../../config/duration.js';
import { mask, maskUrl, showHeaders } from '../../config/mask.js';
import type { SinkKind } from '../kind.js';
import { readWebhook, type WebhookConfig } from './config.js';
import type { WebhookSubscriber } from './subscriber.js';

/** The subscriber (node:http, https, crypto), loaded by `load` when a webhook is configured. */
let Subscriber: typeof WebhookSubscriber | undefined;

function extra(w: WebhookConfig): string[] {
  const out = [`throttle ${formatDuration(w.throttleMs)}`, `timeout ${formatDuration(w.timeoutMs)}`, `discard-after ${formatDuration(w.discardAfterMs)}`];
  out.push(w.signatureKey ? `signed (key ${mask(w.signatureKey)})` : 'unsigned');
  if (w.auth) out.push('token' in w.auth ? `bearer ${mask(w.auth.token)}` : `basic ${w.auth.username}:${mask(w.auth.secret)}`);
  if (Object.keys(w.headers).length) out.push(`headers ${showHeaders(w.headers)}`);
  if (w.allowInvalidCerts) out.push('invalid certs allowed');
  return out;
}

/**
 * Webhooks (docs/stalwart.md §3): batches of events POSTed as signed JSON, throttled, stale events discarded, no
 * level filter. Delivery follows Stalwart's loop (delivery.ts), so a webhook brings its own
 * subscriber (`subscribe`) instead of a Sink behind the generic one.
 */
export const webhookKind: SinkKind<WebhookConfig> = {
  name: 'webhook',
  section: 'webhook',
  aliases: [],
  label: 'webhook',
  read: readWebhook,
  // Never called: `subscribe` builds the webhook's subscriber (and its transport) instead.
  build: async () => {
    throw new Error('a webhook is built by its kind\'s subscribe()');
  },
  load: async () => {
    Subscriber ??= (await import('../../runtime/network.js')).WebhookSubscriber;
  },
  subscribe: (w, ctx) => {
    if (!Subscriber) throw new Error('webhook subscriber used before webhookKind.load()');
    return new Subscriber(w, ctx.filter, ctx.eventsSelected, ctx);
  },
  describe: (w) => ({ target: maskUrl(w.url), extra: extra(w) }),
  policy: (w) => ({
    idPrefix: 'w_',
    level: undefined,
    // Throttled: everything pending goes at each window, as Stalwart does.
    batchSize: w.queueSize,
    throttleMs: w.throttleMs,
    discardAfterMs: w.discardAfterMs,
    lossy: w.lossy,
    queueSize: w.queueSize,
    errorEvent: OWN_ERROR_EVENT.webhook,
  }),
};
