import { readWebhookSelection } from './event-lists.js';
import { readHeaders, readUrl } from './http-values.js';
import type { Reader } from './reader.js';
import { selectedEvents } from '../catalogue/selection.js';
import { DEFAULT_QUEUE_SIZE } from './tracers.js';
import { displayKey } from './toml-lines.js';
import type { WebhookConfig } from './types.js';

function readAuth(r: Reader, base: string[]): WebhookConfig['auth'] {
  const user = r.string([...base, 'auth', 'username']);
  const secret = r.string([...base, 'auth', 'secret']);
  const token = r.string([...base, 'auth', 'token']);
  const userEntry = r.get([...base, 'auth', 'username']);
  const secretEntry = r.get([...base, 'auth', 'secret']);
  if (userEntry && !secretEntry) r.error(userEntry, `${displayKey([...base, 'auth', 'secret'])} is required with auth.username`);
  if (secretEntry && !userEntry) r.error(secretEntry, `${displayKey([...base, 'auth', 'username'])} is required with auth.secret`);
  if (user !== undefined && secret !== undefined) {
    if (token !== undefined) r.warn(r.get([...base, 'auth', 'token'])!, 'ignored: auth.username and auth.secret take precedence');
    return { username: user, secret };
  }
  return token !== undefined ? { token } : undefined;
}

function readWebhook(r: Reader, id: string): WebhookConfig | undefined {
  const base = ['webhook', id];
  const urlEntry = r.get([...base, 'url'])!;
  const signatureKey = r.string([...base, 'signature-key']);
  const levelEntry = r.get([...base, 'level']);
  if (levelEntry) r.warn(levelEntry, 'webhooks have no level filter; ignored');
  const hook: WebhookConfig = {
    id,
    enable: r.bool([...base, 'enable'], true),
    url: readUrl(r, [...base, 'url']) ?? '',
    events: readWebhookSelection(r, base),
    timeoutMs: r.duration([...base, 'timeout'], 30_000, { positive: true }),
    throttleMs: r.duration([...base, 'throttle'], 1000),
    discardAfterMs: r.duration([...base, 'discard-after'], 300_000),
    signatureKey: signatureKey || undefined,
    headers: readHeaders(r, [...base, 'headers']) ?? {},
    auth: readAuth(r, base),
    allowInvalidCerts: r.bool([...base, 'allow-invalid-certs'], false),
    lossy: r.bool([...base, 'lossy'], false),
    queueSize: r.number([...base, 'queue-size'], DEFAULT_QUEUE_SIZE, { integer: true, min: 1 }),
    place: { ...r.place(urlEntry), key: displayKey(base) },
  };
  r.warnUnread(base, 'webhook');
  if (selectedEvents(hook.events, undefined, 'webhook', new Map()).size === 0) {
    r.warn(urlEntry, 'No events enabled for webhook; webhook skipped');
    return undefined;
  }
  return hook;
}

/**
 * Every `webhook.<id>` with a `url` key (§3). v0.15 has no `enable` key; v0.16's is accepted
 * (default true). A webhook that selects no event is skipped with Stalwart's warning.
 */
export function readWebhooks(r: Reader): { webhooks: WebhookConfig[]; defined: boolean } {
  const webhooks: WebhookConfig[] = [];
  let defined = false;
  for (const id of r.idsWith('webhook', 'url', 'webhook')) {
    defined = true;
    const hook = readWebhook(r, id);
    if (hook) webhooks.push(hook);
  }
  return { webhooks, defined };
}
