/** Reconnect delays: exponential from `baseMs`, capped at `capMs`, with jitter. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly random: () => number = Math.random,
    private readonly baseMs = 500,
    private readonly capMs = 30_000,
  ) {}

  /** The next delay: between half and all of min(cap, base * 2^attempt). */
  next(): number {
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.attempt, 20));
    this.attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** After a connection that streamed: start again from the base delay. */
  reset(): void {
    this.attempt = 0;
  }
}

/** Auth failures (401/403) retry no faster than this: a wrong password must not hammer the server. */
export const AUTH_RETRY_MIN_MS = 10_000;
/** A server without the live API (404 on both generations) is asked again this rarely. */
export const NOT_FOUND_RETRY_MS = 60_000;
