/**
 * The live tracing clients: what each is owed, when its next frame may go, its pings.
 *
 * - Clients without filters read the shared journal (journal.ts) from their cursor; filtered
 *   clients keep the events that passed their filter.
 * - A flush runs after each batch of collected events (setImmediate): every client with news
 *   whose last frame is 1 s old or more gets one frame; for the others a timer is set for the
 *   earliest moment one of them may send again. So the first frame after a quiet second leaves at
 *   once and a busy stream gets one frame a second.
 * - `event: ping` 30 s after a client's last frame of any kind.
 * - Each client speaks its route's generation: v0.15's elements `{text, details, createdAt,
 *   type, data}` or v0.16's `{event, timestamp, keyValues}` (v016-encode.ts), one journal per
 *   generation, filled only while it has unfiltered clients. v0.16 greets with a ping.
 */
import { encodeLiveTraceEvent } from '../format/json-encode.js';
import type { TelemetryEvent } from '../runtime/event.js';
import { TRACE_HEAD, TRACE_TAIL, TraceJournal, type ElementEncoder } from './journal.js';
import { PING_FRAME, PING_INTERVAL_MS, type SseClient } from './sse-client.js';
import { isOpenQuery, TraceFilter, type TraceQuery } from './trace-filter.js';
import { encodeLiveTraceEventV016 } from './v016-encode.js';

/** 0: v0.15 routes, 1: v0.16 routes. */
export type Generation = 0 | 1;
const ENCODERS: readonly [ElementEncoder, ElementEncoder] = [encodeLiveTraceEvent, encodeLiveTraceEventV016];

export const THROTTLE_MS = 1_000;

interface TraceClient {
  sse: SseClient;
  gen: Generation;
  /** Undefined: no filter, the client reads the shared journal from `cursor`. */
  filter?: TraceFilter;
  cursor: number;
  pending: TelemetryEvent[];
  lastFrameAt: number;
  ping: NodeJS.Timeout;
}

interface Frame {
  parts: Buffer[];
  events: number;
  bytes: number;
}

export class TraceFanout {
  private readonly clients = new Map<SseClient, TraceClient>();
  /** Unfiltered clients per generation. */
  private readonly open: [number, number] = [0, 0];
  private filtered: TraceClient[] = [];
  private readonly journals: [TraceJournal, TraceJournal] = [new TraceJournal(ENCODERS[0]), new TraceJournal(ENCODERS[1])];
  private flushImmediate: NodeJS.Immediate | undefined;
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly now: () => number,
    /** Events sent to one client in one frame. */
    private readonly delivered: (events: number, now: number) => void,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  /** A new client of a generation; v0.16 sends a ping at once (telemetry.rs:86), v0.15 waits for events. */
  add(sse: SseClient, query: TraceQuery, gen: Generation): void {
    const c: TraceClient = {
      sse,
      gen,
      // A new client starts at a segment boundary: what came before it is sealed off.
      cursor: this.journals[gen].seal(),
      pending: [],
      lastFrameAt: -Infinity,
      ping: setTimeout(() => this.ping(c), PING_INTERVAL_MS),
    };
    if (!isOpenQuery(query)) {
      c.filter = new TraceFilter(query);
      this.filtered.push(c);
    } else this.open[gen]++;
    this.clients.set(sse, c);
    if (gen === 1) sse.write(PING_FRAME, this.now());
  }

  /** Forgets a client that left; false when it was not a tracing client. */
  remove(sse: SseClient): boolean {
    const c = this.clients.get(sse);
    if (!c) return false;
    this.clients.delete(sse);
    clearTimeout(c.ping);
    if (c.filter) this.filtered = this.filtered.filter((x) => x !== c);
    else if (--this.open[c.gen] === 0) this.journals[c.gen].clear();
    else this.trim();
    return true;
  }

  /** The hot path: one collected event. True when some client takes it. */
  observe(ev: TelemetryEvent): boolean {
    let wanted = false;
    if (this.open[0] > 0) {
      this.journals[0].push(ev);
      wanted = true;
    }
    if (this.open[1] > 0) {
      this.journals[1].push(ev);
      wanted = true;
    }
    for (const c of this.filtered) {
      if (c.filter!.test(ev)) {
        c.pending.push(ev);
        wanted = true;
      }
    }
    if (wanted) this.flushImmediate ??= setImmediate(() => this.flush());
    return wanted;
  }

  close(): void {
    for (const c of this.clients.values()) clearTimeout(c.ping);
    if (this.flushImmediate) clearImmediate(this.flushImmediate);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushImmediate = this.flushTimer = undefined;
  }

  private ping(c: TraceClient): void {
    if (c.sse.closed) return;
    const idle = this.now() - c.sse.lastWriteAt;
    if (idle >= PING_INTERVAL_MS) c.sse.write(PING_FRAME, this.now());
    c.ping = setTimeout(() => this.ping(c), PING_INTERVAL_MS - (idle >= PING_INTERVAL_MS ? 0 : idle));
  }

  private flush(): void {
    this.flushImmediate = undefined;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const now = this.now();
    const ends: [number, number] = [this.journals[0].seal(), this.journals[1].seal()];
    let nextDue = Infinity;
    for (const c of this.clients.values()) {
      const end = ends[c.gen];
      const has = c.filter ? c.pending.length > 0 : c.cursor < end;
      if (!has) continue;
      if (now - c.lastFrameAt < THROTTLE_MS) {
        nextDue = Math.min(nextDue, c.lastFrameAt + THROTTLE_MS);
        continue;
      }
      let frame: Frame | undefined;
      if (c.filter) {
        frame = filteredFrame(c.pending, ENCODERS[c.gen]);
        c.pending = [];
      } else {
        frame = this.journals[c.gen].frameFrom(c.cursor);
        c.cursor = end;
      }
      c.lastFrameAt = now;
      if (frame && c.sse.write(frame.parts, now, frame.bytes)) this.delivered(frame.events, now);
    }
    this.trim();
    if (nextDue !== Infinity) this.flushTimer = setTimeout(() => this.flush(), Math.max(1, nextDue - now));
  }

  /** Forgets journal segments every unfiltered client of their generation has been sent. */
  private trim(): void {
    const min: [number, number] = [this.journals[0].end, this.journals[1].end];
    for (const c of this.clients.values()) if (!c.filter && c.cursor < min[c.gen]) min[c.gen] = c.cursor;
    this.journals[0].trim(min[0]);
    this.journals[1].trim(min[1]);
  }
}

function filteredFrame(events: readonly TelemetryEvent[], encode: ElementEncoder): Frame {
  const parts = new Array<string>(events.length);
  for (let i = 0; i < events.length; i++) parts[i] = encode(events[i]!);
  const body = Buffer.from(parts.join(','));
  return { parts: [TRACE_HEAD, body, TRACE_TAIL], events: events.length, bytes: TRACE_HEAD.length + body.length + TRACE_TAIL.length };
}
