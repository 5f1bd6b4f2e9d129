/**
 * Live-stream tokens (docs/stalwart.md §4): 32 crypto-random bytes (base64url), valid 60 s, scoped to their
 * grant: a tracing token opens only the tracing stream, a metrics token only the metrics stream.
 * Kept in memory; the oldest are forgotten past a bound so a client asking in a loop cannot grow
 * the table.
 */
import { randomBytes } from 'node:crypto';

export type Grant = 'tracing' | 'metrics';

export const TOKEN_TTL_MS = 60_000;
const MAX_TOKENS = 10_000;

export type TokenCheck = 'ok' | 'unknown' | 'expired' | 'wrong-grant';

export class TokenStore {
  private readonly tokens = new Map<string, { grant: Grant; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(grant: Grant): string {
    const token = randomBytes(32).toString('base64url');
    this.prune();
    if (this.tokens.size >= MAX_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(token, { grant, expires: this.now() + TOKEN_TTL_MS });
    return token;
  }

  /** A Map lookup by the token itself: no secret is compared byte by byte. */
  check(token: string, grant: Grant): TokenCheck {
    const t = this.tokens.get(token);
    if (!t) return 'unknown';
    if (this.now() >= t.expires) {
      this.tokens.delete(token);
      return 'expired';
    }
    return t.grant === grant ? 'ok' : 'wrong-grant';
  }

  get size(): number {
    return this.tokens.size;
  }

  private prune(): void {
    const now = this.now();
    // Insertion order is expiry order (one TTL for all): stop at the first live token.
    for (const [token, t] of this.tokens) {
      if (t.expires > now) break;
      this.tokens.delete(token);
    }
  }
}
