import type { Header } from './headers.js';

/**
 * Redirects as Stalwart's webhook client follows them. Stalwart v0.15.5 posts with a default
 * `reqwest::Client` (crates/common/src/telemetry/webhooks/mod.rs), whose redirect policy is
 * `Policy::limited(10)` with `Referer` on (reqwest 0.12.28 src/redirect.rs), run by tower-http
 * 0.6.8's FollowRedirect (src/follow_redirect/mod.rs):
 * - 301 and 302 turn the POST into a GET without body, 303 turns any method but HEAD into a GET
 *   without body; both drop content-type, content-length, content-encoding, transfer-encoding.
 * - 307 and 308 repeat the same POST with the same body and headers (X-Signature included).
 * - A redirect without a usable `Location` ends the request with that 3xx (a failure).
 * - Each hop to another host or port than the previous one loses authorization, cookie,
 *   cookie2, proxy-authorization and www-authenticate; each hop carries `Referer: <previous
 *   url>` (without credentials or fragment), except from https to http.
 * - The 11th redirect is an error: "error following redirect for url (<url that answered it>)".
 * - A `Location` that is not http or https: "builder error for url (<location>)".
 */
export const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const PAYLOAD = new Set(['content-type', 'content-length', 'content-encoding', 'transfer-encoding']);
const SENSITIVE = new Set(['authorization', 'cookie', 'cookie2', 'proxy-authorization', 'www-authenticate']);

export interface Hop {
  url: URL;
  method: string;
  /** The request's own headers, kept across hops (payload headers removed once the body is gone). */
  headers: Header[];
  body: Uint8Array | undefined;
}

export type NextHop = { follow: Hop; sent: Header[] } | { stop: true } | { error: string };

export function isRedirect(status: number): boolean {
  return REDIRECTS.has(status);
}

function defaultPort(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
}

function referer(next: URL, previous: URL): string | undefined {
  if (next.protocol === 'http:' && previous.protocol === 'https:') return undefined;
  const r = new URL(previous.href);
  r.username = '';
  r.password = '';
  r.hash = '';
  return r.href;
}

/**
 * What to do with a redirect answer to `hop` (`answered` = every url that answered a redirect in
 * this request, `hop.url` last): the next hop and the header list to send on it, or stop (the
 * 3xx is the answer), or the error text of Stalwart's client.
 */
export function nextHop(hop: Hop, status: number, location: string | undefined, answered: readonly URL[]): NextHop {
  let { method, body, headers } = hop;
  if (status === 301 || status === 302) {
    if (method === 'POST') {
      method = 'GET';
      body = undefined;
      headers = headers.filter(([n]) => !PAYLOAD.has(n));
    }
  } else if (status === 303) {
    if (method !== 'HEAD') method = 'GET';
    body = undefined;
    headers = headers.filter(([n]) => !PAYLOAD.has(n));
  }
  if (location === undefined) return { stop: true };
  let next: URL;
  try {
    next = new URL(location, hop.url);
  } catch {
    return { stop: true };
  }
  if (answered.length > MAX_REDIRECTS) return { error: `error following redirect for url (${hop.url.href})` };
  if (next.protocol !== 'http:' && next.protocol !== 'https:') return { error: `builder error for url (${next.href})` };
  const crossHost = next.hostname !== hop.url.hostname || defaultPort(next) !== defaultPort(hop.url);
  const ref = referer(next, hop.url);
  const sent: Header[] = [];
  for (const [n, v] of headers) {
    if ((crossHost && SENSITIVE.has(n)) || n === 'referer') continue;
    // Referer is inserted into the request's header map, before the client adds host.
    if (n === 'host') {
      if (ref !== undefined) sent.push(['referer', ref]);
      sent.push(['host', next.host]);
    } else sent.push([n, v]);
  }
  if (ref !== undefined && !sent.some(([n]) => n === 'referer')) sent.push(['referer', ref]);
  if (body !== undefined && !sent.some(([n]) => n === 'content-length')) sent.push(['content-length', String(body.length)]);
  return { follow: { url: next, method, headers, body }, sent };
}
