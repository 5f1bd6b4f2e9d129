import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { authHeader, type SourceAuth } from '../auth-config.js';

/** Equal strings, compared in time independent of where they differ (digests of equal length). */
function sameSecret(a: string, b: string): boolean {
  const da = createHash('sha256').update(a).digest();
  const db = createHash('sha256').update(b).digest();
  return timingSafeEqual(da, db);
}

/** The request's Authorization against the configured Basic or Bearer credentials. */
export function authorized(header: string | undefined, auth: SourceAuth): boolean {
  return sameSecret(header ?? '', authHeader(auth));
}

/**
 * `X-Signature`: standard base64 of HMAC-SHA256(key, raw body), as Stalwart signs (docs/stalwart.md §3). The
 * decoded bytes are compared in constant time.
 */
export function signatureValid(header: string | string[] | undefined, body: Buffer, key: string): boolean {
  if (typeof header !== 'string' || header === '') return false;
  const want = createHmac('sha256', key).update(body).digest();
  const got = Buffer.from(header.trim(), 'base64');
  return got.length === want.length && timingSafeEqual(got, want);
}

export function sign(body: string | Buffer, key: string): string {
  return createHmac('sha256', key).update(body).digest('base64');
}
