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

  toArray(): TelemetryEvent[] {
    if (this.start === 0) return this.buf.slice();
    return this.buf.slice(this.start).concat(this.buf.slice(0, this.start));
  }

  span(spanId: string): TelemetryEvent[] {
    return this.toArray().filter((e) => e.spanId === spanId);
  }
}
