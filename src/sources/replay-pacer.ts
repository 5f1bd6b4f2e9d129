import type { IncomingEvent } from '../runtime/event.js';

/**
 * Places replayed events in time. The first timed event of a pass anchors the file's clock to
 * the wall clock; each later event is due `(createdAt - first) / speed` ms after the anchor.
 * Speed 0 never waits. With `restamp`, createdAt becomes the wall time the event is due
 * (at speed 0: the anchor plus the original gap, so the file's spacing is kept).
 */
export class Pacer {
  private fileStart = NaN;
  private wallStart = NaN;

  constructor(
    private readonly speed: number,
    private readonly restamp: boolean,
  ) {}

  /** Re-stamps `ev` when asked and returns how many ms to wait before emitting it. */
  place(ev: IncomingEvent): number {
    const t = ev.createdAt;
    if (t === undefined) return 0;
    if (Number.isNaN(this.fileStart)) {
      this.fileStart = t;
      this.wallStart = Date.now();
    }
    const offset = t - this.fileStart;
    const due = this.speed > 0 ? this.wallStart + offset / this.speed : this.wallStart + offset;
    if (this.restamp) ev.createdAt = Math.round(due);
    return this.speed > 0 ? due - Date.now() : 0;
  }

  /** After a stall (backpressure), moves the anchor so pacing resumes instead of bursting. */
  shift(ms: number): void {
    if (ms > 0 && !Number.isNaN(this.wallStart)) this.wallStart += ms;
  }
}
