import type { WebhookConfig } from './config.js';
import { isSecretHeader, mask } from '../../config/mask.js';

/** One request header as written on the wire (names lower-case, as Stalwart's HTTP client sends them). */
export type Header = [name: string, value: string];

/** Replaces the value in place when the name is already there (case-insensitive), else appends. */
function put(list: Header[], name: string, value: string): void {
  const lower = name.toLowerCase();
  const at = list.findIndex(([n]) => n === lower);
  if (at >= 0) list[at] = [lower, value];
  else list.push([lower, value]);
}

/**
 * The headers every POST of this webhook carries, in the order Stalwart v0.15.5 builds its header
 * map (crates/utils/src/config/http.rs, then crates/common/src/config/telemetry.rs): the user's
 * `headers` in order (a repeated name keeps its first place and its last value), then
 * `Authorization` (Basic when username and secret are set, else Bearer token), then
 * `Content-Type: application/json`. A name already present is overridden in place, as a header
 * map insert does. `X-Signature` is added per request (it depends on the body).
 */
export function baseHeaders(w: Pick<WebhookConfig, 'headers' | 'auth'>): Header[] {
  const list: Header[] = [];
  for (const [name, value] of Object.entries(w.headers)) put(list, name, value);
  if (w.auth) {
    if ('token' in w.auth) put(list, 'authorization', `Bearer ${w.auth.token}`);
    else put(list, 'authorization', `Basic ${Buffer.from(`${w.auth.username}:${w.auth.secret}`, 'utf8').toString('base64')}`);
  }
  put(list, 'content-type', 'application/json');
  return list;
}

/**
 * The full header list of one request: the base headers, `x-signature` when signed, then what the
 * HTTP client adds (`accept: *\/*`, `host`, `content-length`), in that order.
 */
export function requestHeaders(base: readonly Header[], url: URL, bodyBytes: number, signature: string | undefined): Header[] {
  const list: Header[] = base.slice();
  if (signature !== undefined) put(list, 'x-signature', signature);
  if (!list.some(([n]) => n === 'accept')) list.push(['accept', '*/*']);
  if (!list.some(([n]) => n === 'host')) list.push(['host', url.host]);
  put(list, 'content-length', String(bodyBytes));
  return list;
}

/** For the detail view and the ledger: credentials masked, the signature shortened. */
export function maskedHeaders(list: readonly Header[]): Header[] {
  return list.map(([n, v]) => {
    if (n === 'authorization') {
      const space = v.indexOf(' ');
      return [n, space > 0 ? `${v.slice(0, space)} ${mask(v.slice(space + 1))}` : mask(v)];
    }
    if (n === 'x-signature') return [n, mask(v)];
    return [n, isSecretHeader(n) ? mask(v) : v];
  });
}
