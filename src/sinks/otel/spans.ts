import { SPAN_ENDS } from '../../catalogue/index.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import { spanIdHex } from './records.js';

export interface SpanLimits {
  /** Events held per span between start and end (Stalwart: 2048). The end event is always added. */
  maxEventsPerSpan: number;
  /** Events held over all open spans; past it the oldest spans are evicted. */
  maxTrackedEvents: number;
  /** Open spans; past it the oldest is evicted. */
  maxOpenSpans: number;
  /** A span whose start event is older than this (event time) is evicted (Stalwart: 1 day). */
  maxAgeMs: number;
}

export const DEFAULT_SPAN_LIMITS: SpanLimits = {
  maxEventsPerSpan: 2048,
  maxTrackedEvents: 1 << 17,
  maxOpenSpans: 1 << 14,
  maxAgeMs: 24 * 60 * 60 * 1000,
};

/** A finished span: the events between its start and end, then the end event. */
export interface FinishedSpan {
  spanHex: string;
  events: TelemetryEvent[];
  droppedEvents: number;
}

interface OpenSpan {
  startedAt: number;
  events: TelemetryEvent[];
  dropped: number;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * Holds the events of open spans per span id, as Stalwart's OTel tracer does (docs/stalwart.md §0): an event
 * the collector attached to a known span (`ev.span`) is held under its span id, unless it is a
 * span end; a span end closes the span and returns the held events plus itself. The start
 * event is never held (the collector attaches no span to it), so a span with nothing between
 * start and end returns nothing, and a span whose start this tracer did not select is still
 * built from the events it did select.
 */
export class SpanTracker {
  private readonly open = new Map<string, OpenSpan>();
  private tracked = 0;
  private nextSweep = 0;
  /** Spans dropped unfinished (too old, or over the limits). */
  evicted = 0;
  /** Events not held because their span was at `maxEventsPerSpan`. */
  droppedEvents = 0;

  constructor(private readonly limits: SpanLimits = DEFAULT_SPAN_LIMITS) {}

  get openSpans(): number {
    return this.open.size;
  }

  get trackedEvents(): number {
    return this.tracked;
  }

  /** Feeds one event; returns the span it finishes, if any. */
  observe(ev: TelemetryEvent): FinishedSpan | undefined {
    this.sweep(ev.createdAt);
    if (ev.span === undefined) return undefined;
    const spanHex = spanIdHex(ev.spanId);
    if (!spanHex) return undefined;
    if (SPAN_ENDS.has(ev.type)) {
      const span = this.open.get(spanHex);
      if (!span) return undefined;
      this.remove(spanHex);
      return { spanHex, events: [...span.events, ev], droppedEvents: span.dropped };
    }
    let span = this.open.get(spanHex);
    if (!span) {
      span = { startedAt: ev.spanStartedAt ?? ev.createdAt, events: [], dropped: 0 };
      this.open.set(spanHex, span);
    }
    if (span.events.length >= this.limits.maxEventsPerSpan) {
      span.dropped += 1;
      this.droppedEvents += 1;
      return undefined;
    }
    span.events.push(ev);
    this.tracked += 1;
    this.enforce();
    return undefined;
  }

  private remove(spanHex: string): boolean {
    const span = this.open.get(spanHex);
    if (!span) return false;
    this.open.delete(spanHex);
    this.tracked -= span.events.length;
    return true;
  }

  /** Evicts the oldest spans (insertion order) while over a limit. */
  private enforce(): void {
    while (this.open.size > this.limits.maxOpenSpans || (this.tracked > this.limits.maxTrackedEvents && this.open.size > 1)) {
      const oldest = this.open.keys().next().value as string;
      this.remove(oldest);
      this.evicted += 1;
    }
  }

  /** At most once a minute of event time: evicts spans started more than `maxAgeMs` earlier. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_EVERY_MS;
    for (const [id, span] of this.open) {
      if (now - span.startedAt >= this.limits.maxAgeMs) {
        this.remove(id);
        this.evicted += 1;
      }
    }
  }
}
