/**
 * Counts per whole second over the last minute. Rates are read from whole seconds already
 * past, so a figure does not jitter while the current second fills.
 */
const SLOTS = 64;

export class RateCounter {
  private readonly counts = new Float64Array(SLOTS);
  private readonly seconds = new Float64Array(SLOTS).fill(-1);

  add(n: number, now: number): void {
    const sec = Math.floor(now / 1000);
    const i = sec % SLOTS;
    if (this.seconds[i] !== sec) {
      this.seconds[i] = sec;
      this.counts[i] = 0;
    }
    this.counts[i] += n;
  }

  private at(sec: number): number {
    const i = sec % SLOTS;
    return this.seconds[i] === sec ? this.counts[i]! : 0;
  }

  /** Events in the last whole second. */
  rate1s(now: number): number {
    return this.at(Math.floor(now / 1000) - 1);
  }

  /** Mean events per second over the last 10 whole seconds. */
  rate10s(now: number): number {
    const sec = Math.floor(now / 1000);
    let sum = 0;
    for (let s = sec - 10; s < sec; s++) sum += this.at(s);
    return sum / 10;
  }

  /** The last `n` whole seconds, oldest first. */
  history(now: number, n = 60): number[] {
    const sec = Math.floor(now / 1000);
    const out: number[] = [];
    for (let s = sec - n; s < sec; s++) out.push(this.at(s));
    return out;
  }
}
