import { createHmac, type Hmac } from 'node:crypto';
import type { TelemetryEvent } from '../../runtime/event.js';
import { encodeWebhookEvent015 } from './fast-encode.js';
import { signBody } from './signature.js';

/**
 * An event in the pending list with its JSON bytes, encoded when it arrived (while the previous
 * request was in flight) rather than all at once when the window opens. v0.15 ids carry no
 * counter and the event never changes, so its bytes are the same at any later send: a retry
 * re-sends them, never re-encoding. The bytes are `,{…}` (a leading comma) at `start..end` of a
 * slab shared with the events encoded around it, so a batch's body is a few block copies.
 */
export interface PendingEvent {
  ev: TelemetryEvent;
  slab: Buffer;
  start: number;
  end: number;
}

const SLAB = 256 * 1024;
const COMMA = 0x2c;
const OPEN = '{"events":[';

/**
 * Writes events' JSON into slabs, outside the JS heap: held strings in a pending list of tens of
 * thousands survived young collections and were copied and promoted, which cost more than the
 * encoding (measured: 30% of the time in GC).
 */
export class EventBytes {
  private slab = Buffer.allocUnsafe(SLAB);
  private used = 0;
  /**
   * The next body's signature, kept as events are added: HMAC over `{"events":[` and the bytes of
   * every event added since the last send, in order, each slab hashed when it is full. Then the
   * send only hashes the last slab's tail, instead of the whole body while the receiver waits.
   * Undefined without a key, and after any removal or put-back until the next send.
   */
  private mac: Hmac | undefined;
  /** Where the current slab's bytes not yet hashed begin. */
  private macFrom = 0;
  private macEvents = 0;
  private macBytes = 0;

  constructor(private readonly key?: string) {
    this.restart();
  }

  add(ev: TelemetryEvent): PendingEvent {
    return this.put(ev, encodeWebhookEvent015(ev));
  }

  /** The events pending changed otherwise than by `add` (removed, put back): no running signature. */
  invalidate(): void {
    this.mac = undefined;
  }

  /**
   * The `X-Signature` of `body`, the batch of all events added since the last send: the running
   * HMAC when it covers exactly them (same count, same length), else computed over `body`. Starts
   * the next body's.
   */
  sign(batch: readonly PendingEvent[], body: Buffer): string | undefined {
    let signature: string | undefined;
    const mac = this.mac;
    if (mac && this.macEvents === batch.length && this.macBytes + OPEN.length + 2 - (batch.length > 0 ? 1 : 0) === body.length) {
      mac.update(this.slab.subarray(this.macFrom, this.used));
      signature = mac.update(']}', 'latin1').digest('base64');
    } else signature = signBody(this.key, body);
    this.restart();
    return signature;
  }

  private restart(): void {
    this.mac = this.key ? createHmac('sha256', Buffer.from(this.key, 'utf8')).update(OPEN, 'latin1') : undefined;
    this.macFrom = this.used;
    this.macEvents = 0;
    this.macBytes = 0;
  }

  private put(ev: TelemetryEvent, json: string | Uint8Array): PendingEvent {
    const max = typeof json === 'string' ? json.length * 3 + 1 : json.length + 1;
    if (this.slab.length - this.used < max) {
      this.mac?.update(this.slab.subarray(this.macFrom, this.used));
      this.slab = Buffer.allocUnsafe(Math.max(SLAB, max));
      this.used = 0;
      this.macFrom = 0;
    }
    const slab = this.slab;
    const start = this.used;
    slab[start] = COMMA;
    let n = json.length;
    if (typeof json === 'string') n = slab.write(json, start + 1);
    else slab.set(json, start + 1);
    this.used = start + 1 + n;
    // The body's first event goes without its comma.
    if (this.macEvents++ === 0) this.macFrom = start + 1;
    this.macBytes += this.used - start;
    return { ev, slab, start, end: this.used };
  }

  /**
   * After a removal (stale events, shedding): when the events still pending hold slabs mostly of
   * events long gone (more than twice their own bytes and two slabs), copies their bytes into
   * fresh slabs. Errors kept through a long outage must not each hold a slab of shed events.
   */
  compact(events: readonly PendingEvent[]): void {
    let live = 0;
    let held = 0;
    const seen = new Set<Buffer>();
    let last: Buffer | undefined;
    for (const p of events) {
      live += p.end - p.start;
      if (p.slab !== last && !seen.has(p.slab)) {
        seen.add(p.slab);
        held += p.slab.length;
      }
      last = p.slab;
    }
    if (held > 2 * live + 2 * SLAB) this.repack(events);
  }

  private repack(events: readonly PendingEvent[]): void {
    this.invalidate();
    this.slab = Buffer.allocUnsafe(SLAB);
    this.used = 0;
    for (const p of events) {
      const moved = this.put(p.ev, p.slab.subarray(p.start + 1, p.end));
      p.slab = moved.slab;
      p.start = moved.start;
      p.end = moved.end;
    }
  }
}

/**
 * The POST body of one batch: `{"events":[…]}`, each event as the shared webhook encoder
 * (src/format/json-encode.ts) writes it, through its faster twin (fast-encode.ts): the same bytes
 * as `Buffer.from(encodeWebhookBody(events))`. Events side by side in a slab go in one copy.
 */
export function batchBody(batch: readonly PendingEvent[]): Buffer {
  let size = OPEN.length + 2 - (batch.length > 0 ? 1 : 0);
  for (let i = 0; i < batch.length; i++) size += batch[i]!.end - batch[i]!.start;
  const out = Buffer.allocUnsafe(size);
  let n = out.write(OPEN, 0, 'latin1');
  let i = 0;
  while (i < batch.length) {
    const p = batch[i]!;
    let end = p.end;
    let j = i + 1;
    for (; j < batch.length; j++) {
      const q = batch[j]!;
      if (q.slab !== p.slab || q.start !== end) break;
      end = q.end;
    }
    n += p.slab.copy(out, n, i === 0 ? p.start + 1 : p.start, end);
    i = j;
  }
  out.write(']}', n, 'latin1');
  return out;
}
