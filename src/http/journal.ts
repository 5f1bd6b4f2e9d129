/**
 * The events not yet sent to every unfiltered tracing client of one API generation, encoded once. Events are appended
 * as they are collected; `seal()` encodes what arrived since the last seal into one segment
 * (live-trace JSON elements joined by commas). A client's cursor always sits on a segment
 * boundary, so its frame is the segments from its cursor on, written as shared Buffers: each
 * event is encoded and copied once however many clients receive it and whatever their timing.
 */
import { encodeLiveTraceEvent } from '../format/json-encode.js';
import type { TelemetryEvent } from '../runtime/event.js';

/** One live-trace element as a generation writes it. */
export type ElementEncoder = (ev: TelemetryEvent) => string;

interface Segment {
  start: number;
  end: number;
  buf: Buffer;
}

export const TRACE_HEAD = Buffer.from('event: trace\ndata: [');
export const TRACE_TAIL = Buffer.from(']\n\n');
const COMMA = Buffer.from(',');

export class TraceJournal {
  private segments: Segment[] = [];
  private tail: TelemetryEvent[] = [];
  /** Where the first segment starts (the tail, when there is no segment). */
  private base = 0;

  /** `encode`: v0.15's element (the default) or v0.16's (v016-encode.ts). */
  constructor(private readonly encode: ElementEncoder = encodeLiveTraceEvent) {}

  /** Index one past the last event appended. */
  get end(): number {
    return this.sealedEnd + this.tail.length;
  }

  private get sealedEnd(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.end : this.base;
  }

  push(ev: TelemetryEvent): void {
    this.tail.push(ev);
  }

  /** Encodes the events appended since the last seal; afterwards `end` is a segment boundary. */
  seal(): number {
    if (this.tail.length > 0) {
      const start = this.sealedEnd;
      const parts = new Array<string>(this.tail.length);
      for (let i = 0; i < this.tail.length; i++) parts[i] = this.encode(this.tail[i]!);
      this.segments.push({ start, end: start + this.tail.length, buf: Buffer.from(parts.join(',')) });
      this.tail = [];
    }
    return this.end;
  }

  /** The frame for a client at `cursor` (a boundary) up to the last seal, as Buffers; undefined when empty. */
  frameFrom(cursor: number): { parts: Buffer[]; events: number; bytes: number } | undefined {
    const end = this.sealedEnd;
    if (cursor >= end) return undefined;
    const parts: Buffer[] = [TRACE_HEAD];
    let bytes = TRACE_HEAD.length + TRACE_TAIL.length;
    for (const s of this.segments) {
      if (s.start < cursor) continue;
      if (parts.length > 1) {
        parts.push(COMMA);
        bytes++;
      }
      parts.push(s.buf);
      bytes += s.buf.length;
    }
    parts.push(TRACE_TAIL);
    return { parts, events: end - cursor, bytes };
  }

  /** Forgets segments every client has passed; with no unfiltered client, everything. */
  trim(minCursor: number): void {
    let cut = 0;
    while (cut < this.segments.length && this.segments[cut]!.end <= minCursor) cut++;
    if (cut === 0) return;
    this.base = this.segments[cut - 1]!.end;
    this.segments = this.segments.slice(cut);
  }

  /** Drops everything (no unfiltered client is left); indexes keep increasing. */
  clear(): void {
    const end = this.end;
    this.segments = [];
    this.tail = [];
    this.base = end;
  }
}
