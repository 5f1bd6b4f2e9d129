import type { Level } from '../../catalogue/types.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import { eventPredicate } from './search.js';

/**
 * The events pane's list: the runtime's bounded history passed through the filter and the
 * minimum level. Kept incrementally between frames (only events newer than the last seen seq
 * are tested, events that left the history are cut from the front), so a 10,000-event history
 * under a filter costs almost nothing per frame. Returns the same array while nothing changed.
 *
 * While the pane is frozen (`pinSeq`: the freeze point), the rows up to it stay even after they
 * left the history: they are what the screen shows and scrolls through, and under heavy ingest
 * the ring turns over in a fraction of a second. Only the matches after the freeze point (the
 * `+N new`) are cut as they leave. So the list holds at most the history at the freeze plus the
 * history since; unfrozen, it is back to the history alone on the next frame. A new filter or
 * level is evaluated over the history.
 */
export class EventList {
  private key: string | undefined;
  private pred: (ev: TelemetryEvent) => boolean = () => true;
  private items: TelemetryEvent[] = [];
  private lastSeq = 0;

  update(history: readonly TelemetryEvent[], filter: string, minLevel: Level, pinSeq = 0): readonly TelemetryEvent[] {
    const key = `${minLevel}\u0000${filter}`;
    if (key !== this.key) {
      this.key = key;
      this.pred = eventPredicate(filter, minLevel);
      this.items = history.filter(this.pred);
      this.lastSeq = history.length ? history[history.length - 1]!.seq : 0;
      return this.items;
    }
    if (history.length === 0) {
      if (this.items.length) this.items = [];
      return this.items;
    }
    const last = history[history.length - 1]!.seq;
    const first = history[0]!.seq;
    let items = this.items;
    if (pinSeq > 0) {
      const pinned = countUpTo(items, pinSeq);
      if (pinned < items.length && items[pinned]!.seq < first) items = items.slice(0, pinned).concat(items.slice(Math.max(pinned, countUpTo(items, first - 1))));
    } else if (items.length && items[0]!.seq < first) items = items.slice(countUpTo(items, first - 1));
    if (last > this.lastSeq) {
      let i = history.length;
      while (i > 0 && history[i - 1]!.seq > this.lastSeq) i--;
      const fresh: TelemetryEvent[] = [];
      for (; i < history.length; i++) if (this.pred(history[i]!)) fresh.push(history[i]!);
      if (fresh.length) items = items.concat(fresh);
    } else if (last < this.lastSeq) {
      // The history restarted (a new runtime): start over.
      items = history.filter(this.pred);
    }
    this.lastSeq = last;
    this.items = items;
    return items;
  }
}

/** How many events of a seq-ordered list have `seq <= max` (binary search). */
export function countUpTo(items: readonly TelemetryEvent[], max: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid]!.seq <= max) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
