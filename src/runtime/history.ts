import type { TelemetryEvent } from './event.js';

/**
 * A bounded ring of the most recent events, oldest first when read. It holds `capacity` events
 * (`--history`), or fewer while `hold()` says so: the console lowers it while ingest saturates
 * the event loop (see src/ui/use-sample.ts), when no frame shows more than a sliver of what
 * passes and every event held across two young-generation collections is copied and promoted
 * (a 10,000-event ring costs more CPU than the whole mail index then).
 */
export class History {
  private buf: TelemetryEvent[] = [];
  private start = 0;
  private limit: number;

  constructor(readonly capacity: number) {
    this.limit = Math.max(0, capacity);
  }

  push(ev: TelemetryEvent): void {
    if (this.limit <= 0) return;
    if (this.buf.length < this.limit) {
      this.buf.push(ev);
    } else {
      this.buf[this.start] = ev;
      this.start = this.start + 1 === this.buf.length ? 0 : this.start + 1;
    }
  }

  get size(): number {
    return this.buf.length;
  }

  /** How many events the ring holds at most now. */
  get holding(): number {
    return this.limit;
  }

  /**
   * Holds at most `n` events (never more than `capacity`): lowering drops the oldest at once,
   * raising lets the ring fill up again from what comes next.
   */
  hold(n: number): void {
    const limit = Math.max(0, Math.min(this.capacity, Math.floor(n)));
    if (limit === this.limit) return;
    if (this.start !== 0 || this.buf.length > limit) {
      const all = this.toArray();
      this.buf = all.length > limit ? all.slice(all.length - limit) : all;
      this.start = 0;
    }
    this.limit = limit;
  }

  /** The events, oldest first, in one new array (the console samples it once per frame). */
  toArray(): TelemetryEvent[] {
    if (this.start === 0) return this.buf.slice();
    const n = this.buf.length;
    const out = new Array<TelemetryEvent>(n);
    for (let i = 0, j = this.start; i < n; i++, j = j + 1 === n ? 0 : j + 1) out[i] = this.buf[j]!;
    return out;
  }

  span(spanId: string): TelemetryEvent[] {
    const out: TelemetryEvent[] = [];
    const n = this.buf.length;
    for (let i = 0, j = this.start; i < n; i++, j = j + 1 === n ? 0 : j + 1) if (this.buf[j]!.spanId === spanId) out.push(this.buf[j]!);
    return out;
  }
}
