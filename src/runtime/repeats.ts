/**
 * Lets the first occurrence of each key through once per interval and counts the rest, so a
 * failure that repeats with every batch (a sink that cannot be built, a dead collector) is one
 * error event and one message per interval carrying how many times it happened.
 */
export class RepeatLimiter {
  private readonly seen = new Map<string, { at: number; held: number }>();

  constructor(private readonly intervalMs: number) {}

  /**
   * Undefined when `key` already passed within the interval (counted); otherwise how many
   * occurrences this one stands for (itself plus those held back since the last that passed).
   */
  pass(key: string, now: number): number | undefined {
    const s = this.seen.get(key);
    if (s && now - s.at < this.intervalMs) {
      s.held++;
      return undefined;
    }
    const count = 1 + (s?.held ?? 0);
    this.seen.set(key, { at: now, held: 0 });
    if (this.seen.size > 1000) this.seen.delete(this.seen.keys().next().value!);
    return count;
  }
}
