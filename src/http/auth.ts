/**
 * Header auth for mailtel's listener: `Authorization: Bearer <http.auth.token>` or
 * `Authorization: Basic <http.auth.username:secret>`. Secrets are compared in constant time
 * (both sides hashed first, so neither the content nor the length shows in the timing).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpAuthConfig } from './config.js';

/** Constant-time equality of two strings of any lengths. */
export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** True when the Authorization header carries exactly `username:secret` as HTTP Basic. */
export function basicAuthMatches(header: string | undefined, username: string, secret: string): boolean {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Evaluate both halves so the time taken does not tell which one was wrong.
  const userOk = sameSecret(decoded.slice(0, colon), username);
  const secretOk = sameSecret(decoded.slice(colon + 1), secret);
  return userOk && secretOk;
}

export type AuthResult = { ok: true } | { ok: false; reason: string };

/** Checks the Authorization header; with no auth configured everything passes. */
export function checkHeaderAuth(header: string | undefined, auth: HttpAuthConfig): AuthResult {
  if (auth.token === undefined && auth.basic === undefined) return { ok: true };
  if (!header) return { ok: false, reason: 'no credentials' };
  const scheme = /^(\S+)\s/.exec(header)?.[1]?.toLowerCase();
  if (scheme === 'bearer' && auth.token !== undefined) {
    return sameSecret(header.slice(7).trim(), auth.token) ? { ok: true } : { ok: false, reason: 'wrong bearer token' };
  }
  if (scheme === 'basic' && auth.basic) {
    return basicAuthMatches(header, auth.basic.username, auth.basic.secret) ? { ok: true } : { ok: false, reason: 'wrong username or secret' };
  }
  return { ok: false, reason: `${scheme ?? 'malformed'} credentials not accepted` };
}
