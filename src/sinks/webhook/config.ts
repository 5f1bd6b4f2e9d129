import { DEFAULT_QUEUE_SIZE, type ReadContext, type SinkConfig } from '../../config/sinks.js';
import { readWebhookSelection } from '../../config/event-lists.js';
import { readHeaders, readUrl } from '../../config/http-values.js';
import type { Reader } from '../../config/reader.js';
import { displayKey } from '../../config/toml-lines.js';

/** `webhook.<id>`: a webhook is any `webhook.<id>` with a `url` key (docs/stalwart.md §3). */
export interface WebhookConfig extends SinkConfig {
  url: string;
  timeoutMs: number;
  throttleMs: number;
  discardAfterMs: number;
  signatureKey?: string;
  headers: Record<string, string>;
  auth?: { username: string; secret: string } | { token: string };
  allowInvalidCerts: boolean;
}

export const WEBHOOK_DEFAULTS = { timeoutMs: 30_000, throttleMs: 1000, discardAfterMs: 300_000, allowInvalidCerts: false } as const;

function readAuth(r: Reader, base: readonly string[]): WebhookConfig['auth'] {
  const user = r.string([...base, 'auth', 'username']);
  const secret = r.string([...base, 'auth', 'secret']);
  const token = r.string([...base, 'auth', 'token']);
  const userEntry = r.get([...base, 'auth', 'username']);
  const secretEntry = r.get([...base, 'auth', 'secret']);
  // Stalwart: Basic only with both; otherwise auth.token (Bearer) if set. Not an error there.
  const lone = userEntry && !secretEntry ? userEntry : secretEntry && !userEntry ? secretEntry : undefined;
  if (lone) {
    const what = lone === userEntry ? 'auth.username without auth.secret' : 'auth.secret without auth.username';
    const then = token !== undefined ? 'auth.token (Bearer) is used' : 'no Authorization header is sent (auth.token is not set)';
    r.warn(lone, `${what}: Basic auth is skipped, as in Stalwart; ${then}`);
  }
  if (user !== undefined && secret !== undefined) {
    if (token !== undefined) r.warn(r.get([...base, 'auth', 'token'])!, 'ignored: auth.username and auth.secret take precedence');
    return { username: user, secret };
  }
  return token !== undefined ? { token } : undefined;
}

/**
 * One `webhook.<id>` (docs/stalwart.md §3). v0.15 has no `enable` key; v0.16's is accepted (default true). The
 * loader skips a webhook that selects no event, with Stalwart's warning.
 */
export function readWebhook(r: Reader, ctx: ReadContext): WebhookConfig {
  const base = ctx.base;
  const signatureKey = r.string([...base, 'signature-key']);
  const levelEntry = r.get([...base, 'level']);
  if (levelEntry) r.warn(levelEntry, 'webhooks have no level filter; ignored');
  return {
    id: ctx.id,
    enable: r.bool([...base, 'enable'], true),
    url: readUrl(r, [...base, 'url']) ?? '',
    events: readWebhookSelection(r, base),
    timeoutMs: r.duration([...base, 'timeout'], WEBHOOK_DEFAULTS.timeoutMs, { positive: true }),
    throttleMs: r.duration([...base, 'throttle'], WEBHOOK_DEFAULTS.throttleMs, { positive: true }),
    discardAfterMs: r.duration([...base, 'discard-after'], WEBHOOK_DEFAULTS.discardAfterMs, { positive: true }),
    signatureKey: signatureKey || undefined,
    headers: readHeaders(r, [...base, 'headers']) ?? {},
    auth: readAuth(r, base),
    allowInvalidCerts: r.bool([...base, 'allow-invalid-certs'], WEBHOOK_DEFAULTS.allowInvalidCerts),
    lossy: r.bool([...base, 'lossy'], false),
    queueSize: r.number([...base, 'queue-size'], DEFAULT_QUEUE_SIZE, { integer: true, min: 1 }),
    place: { ...r.place(ctx.anchor), key: displayKey(base) },
  };
}
