import type { Path, Reader } from '../config/reader.js';

export type SourceAuth = { username: string; secret: string } | { token: string };

/**
 * `auth.username` + `auth.secret` (Basic) or `auth.token` (Bearer) under `base`. One of the
 * Basic pair without the other is an error here (a source cannot guess what was meant); both
 * Basic and Bearer given is an error too.
 */
export function readAuth(r: Reader, base: Path): SourceAuth | undefined {
  const k = (name: string): Path => [...base, 'auth', name];
  const username = r.string(k('username'));
  const secret = r.string(k('secret'));
  const token = r.string(k('token'));
  const u = r.get(k('username'));
  const s = r.get(k('secret'));
  if (u && !s) r.missing(u, k('secret'), 'auth.username needs auth.secret');
  if (s && !u) r.missing(s, k('username'), 'auth.secret needs auth.username');
  const t = r.get(k('token'));
  if (t && u) r.error(t, 'give either auth.username + auth.secret (Basic) or auth.token (Bearer), not both');
  if (token === '' && t) r.error(t, 'auth.token is empty');
  if (username !== undefined && secret !== undefined) return { username, secret };
  if (token) return { token };
  return undefined;
}

/** The `Authorization` header value of `auth`. */
export function authHeader(auth: SourceAuth): string {
  if ('token' in auth) return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.secret}`).toString('base64')}`;
}
