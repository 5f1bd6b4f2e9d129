import { createHmac } from 'node:crypto';

/**
 * Stalwart's `X-Signature`: standard base64, with padding, of HMAC-SHA256 keyed with the UTF-8
 * bytes of `signature-key` over the exact body bytes. Undefined when the key is empty: no header.
 */
export function signBody(key: string | undefined, body: Uint8Array): string | undefined {
  if (!key) return undefined;
  return createHmac('sha256', Buffer.from(key, 'utf8')).update(body).digest('base64');
}
