import type { TelemetryEvent } from './event.js';

/** A bounded ring of the most recent events, oldest first when read. */
export class History {
  private buf: TelemetryEvent[] = [];
  private start = 0;

  constructor(readonly capacity: number) {}

  push(ev: TelemetryEvent): void {
    if (this.capacity <= 0) return;
    if (this.buf.length < this.capacity) {
      this.buf.push(ev);
    } else {
      this.buf[this.start] = ev;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  get size(): number {
    return this.buf.length;
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
