/**
 * `http.*`: mailtel's own listener (Prometheus scrape and Stalwart's live endpoints).
 *
 * - `listen = "host:port"` (unset: no listener).
 * - `auth.token` (Bearer) and/or `auth.username` + `auth.secret` (Basic) protect every route but
 *   Prometheus (which keeps `metrics.prometheus.auth.*`) and a `?token=` on the two stream routes.
 *   A username without a secret (or the reverse) skips Basic, as Stalwart does, with a warning.
 * - `max-clients` (default 64): concurrent stream clients; the next one gets 503.
 * - `client-buffer` (default 16 MiB): bytes a stream client may leave unread before it is
 *   disconnected and counted.
 * - Listening on a non-loopback address without auth is an error naming the `listen` line.
 */
import type { Reader } from '../config/reader.js';
import type { KeyPlace } from '../config/types.js';

export interface HttpAuthConfig {
  token?: string;
  basic?: { username: string; secret: string };
}

export interface HttpListenerConfig {
  /** `host:port`; unset means no listener. */
  listen?: string;
  auth: HttpAuthConfig;
  maxClients: number;
  clientBufferBytes: number;
  place?: KeyPlace;
}

export const DEFAULT_MAX_CLIENTS = 64;
export const DEFAULT_CLIENT_BUFFER = 16 * 1024 * 1024;

const LISTEN = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** 127.0.0.0/8, ::1 and localhost: reachable from this machine only. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

export function hasAuth(auth: HttpAuthConfig): boolean {
  return auth.token !== undefined || auth.basic !== undefined;
}

/** `bearer`, `basic`, `bearer+basic` or `none`: the auth kind shown by check and status. */
export function authKind(auth: HttpAuthConfig): string {
  const kinds = [auth.token !== undefined ? 'bearer' : '', auth.basic ? 'basic' : ''].filter(Boolean);
  return kinds.length ? kinds.join('+') : 'none';
}

function readAuth(r: Reader): HttpAuthConfig {
  const auth: HttpAuthConfig = {};
  const token = r.string(['http', 'auth', 'token']);
  if (token !== undefined) {
    if (token === '') r.error(r.get(['http', 'auth', 'token'])!, 'an empty token would let anyone in; remove the key or set a value');
    else auth.token = token;
  }
  const username = r.string(['http', 'auth', 'username']);
  const secret = r.string(['http', 'auth', 'secret']);
  if (username !== undefined && secret !== undefined) {
    if (secret === '') r.error(r.get(['http', 'auth', 'secret'])!, 'an empty secret would let anyone in; remove the key or set a value');
    else auth.basic = { username, secret };
  } else if (username !== undefined || secret !== undefined) {
    const e = r.get(['http', 'auth', username !== undefined ? 'username' : 'secret'])!;
    const other = username !== undefined ? 'http.auth.secret' : 'http.auth.username';
    r.warn(e, `${other} is not set: Basic auth is skipped (as Stalwart does)${auth.token !== undefined ? '; http.auth.token is used' : ''}`);
  }
  return auth;
}

/** Reads every `http.*` key. */
export function readHttp(r: Reader): HttpListenerConfig {
  const auth = readAuth(r);
  const maxClients = r.number(['http', 'max-clients'], DEFAULT_MAX_CLIENTS, { integer: true, min: 1 });
  const clientBufferBytes = r.number(['http', 'client-buffer'], DEFAULT_CLIENT_BUFFER, { integer: true, min: 65_536 });
  const base: HttpListenerConfig = { auth, maxClients, clientBufferBytes };
  const listen = r.string(['http', 'listen']);
  if (listen === undefined) return base;
  const entry = r.get(['http', 'listen'])!;
  const m = LISTEN.exec(listen.trim());
  if (!m || Number(m[2]) > 65535) {
    r.error(entry, `expected "host:port" such as "127.0.0.1:8080"; got ${JSON.stringify(listen)}`);
    return base;
  }
  if (!isLoopbackHost(m[1]!) && !hasAuth(auth)) {
    r.error(entry, `${m[1]} is reachable from other machines: set http.auth.token or http.auth.username + http.auth.secret, or listen on 127.0.0.1`);
  }
  return { ...base, listen: listen.trim(), place: r.place(entry) };
}
