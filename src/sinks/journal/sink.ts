import type { TelemetryEvent } from '../../runtime/event.js';
import type { Sink, WriteResult } from '../../runtime/types.js';
import { encodeEntry, type EncodeStats } from './fields.js';
import { loadLibc, type Libc } from './libc.js';
import { JournalSocket } from './socket.js';

export interface JournalSinkOptions {
  id: string;
  /** The journal's native socket (`socket` key). */
  socket: string;
  /** SYSLOG_IDENTIFIER (`identifier` key). */
  identifier: string;
  /** How long one event may wait for a busy journald before the batch is handed back (ms). */
  busyLimitMs?: number;
  /** Test seam: a libc other than koffi's. */
  libc?: Libc;
}

const OK: WriteResult = { ok: true };

/** Stalwart's `details` of telemetry.journal-error; its `reason` is the send error. */
export const JOURNAL_SEND_FAILED = 'Failed to send event to journald';

function errorEvent(reason: string): Record<string, string> {
  return { details: JOURNAL_SEND_FAILED, reason };
}

/**
 * Stalwart's `journal` tracer (docs/stalwart.md §1c): one native-protocol entry per event (fields.ts), each its
 * own datagram to journald's socket, a batch at a time (socket.ts `sendBatch`).
 *
 * - start: the empty datagram Stalwart sends to check that journald listens; a failure is the
 *   sink's failing reason (the sink keeps trying with every batch, so it recovers).
 * - busy journald (EAGAIN): the rest of the batch waits in a blocking send on a worker thread,
 *   as Stalwart's blocking send would, without holding the event loop; when journald takes
 *   nothing for `busyLimitMs` the rest is handed back for a retry (nothing lost).
 * - journald away (socket missing or refusing, e.g. while it restarts): Stalwart drops the
 *   event. So does this sink, with the rest of the batch: those events are counted as `lost`
 *   (and as dropped by error in the status row), the runtime raises `telemetry.journal-error`,
 *   and the next batch tries again, which is how the sink recovers once journald is back.
 * - any other failure of one entry (e.g. the memfd path for a too-large entry): that event is
 *   lost and counted, the batch goes on.
 */
export class JournalSink implements Sink {
  readonly id: string;
  readonly type = 'journal';
  readonly target: string;
  private sock: JournalSocket | undefined;
  private unavailable: string | undefined;
  private readonly stats: EncodeStats = { renamedFields: 0 };
  private sent = 0;
  private lost = 0;

  constructor(private readonly opts: JournalSinkOptions) {
    this.id = opts.id;
    this.target = opts.socket;
  }

  async start(): Promise<WriteResult> {
    const ready = await this.ready();
    if (!ready.ok) return ready;
    const r = this.sock!.probe();
    return r.kind === 'ok' ? OK : { ok: false, retry: false, error: r.error };
  }

  async write(batch: readonly TelemetryEvent[]): Promise<WriteResult> {
    const ready = await this.ready();
    if (!ready.ok) return ready;
    const sock = this.sock!;
    const limit = this.opts.busyLimitMs ?? 5000;
    const payloads = batch.map((ev) => encodeEntry(ev, this.opts.identifier, this.stats));
    let delivered = 0;
    let lostHere = 0;
    let lastError = '';
    let i = 0;
    while (i < payloads.length) {
      const r = await sock.sendBatch(payloads, i, limit);
      i += r.sent;
      delivered += r.sent;
      this.sent += r.sent;
      const stop = r.stop;
      if (stop === undefined) continue;
      if (stop.kind === 'busy') {
        // Still busy after the limit: what was sent counts, the rest is retried.
        return { ok: false, retry: true, retryAfterMs: 100, delivered, error: stop.error, event: errorEvent(stop.error) };
      }
      if (stop.kind === 'away') {
        const rest = payloads.length - i;
        this.lost += rest;
        lostHere += rest;
        return { ok: false, retry: false, delivered, error: `${stop.error}: ${lostHere} event${lostHere === 1 ? '' : 's'} lost`, event: errorEvent(stop.error) };
      }
      // One entry failed on its own: it is lost, the others go on.
      this.lost++;
      lostHere++;
      lastError = stop.error;
      i++;
    }
    if (lostHere === 0) return OK;
    // The subscriber counts `delivered` as written and the rest of the batch as dropped.
    return { ok: false, retry: false, delivered, error: `${lastError}: ${lostHere} event${lostHere === 1 ? '' : 's'} lost`, event: errorEvent(lastError) };
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.sock?.close();
  }

  details(): Record<string, string | number | boolean | null> {
    return {
      socket: this.opts.socket,
      identifier: this.opts.identifier,
      sent: this.sent,
      lost: this.lost,
      memfd: this.sock?.memfdSends ?? 0,
      bytes: this.sock?.bytes ?? 0,
      busyWaits: this.sock?.busyWaits ?? 0,
      renamedFields: this.stats.renamedFields,
      unavailable: this.unavailable ?? null,
    };
  }

  private async ready(): Promise<WriteResult> {
    if (this.sock) return OK;
    if (this.unavailable) return { ok: false, retry: false, error: this.unavailable };
    const libc = this.opts.libc ? { ok: true as const, libc: this.opts.libc } : await loadLibc();
    if (!libc.ok) {
      this.unavailable = `journal sink unavailable: ${libc.reason}`;
      return { ok: false, retry: false, error: this.unavailable };
    }
    try {
      this.sock = new JournalSocket(libc.libc, this.opts.socket);
    } catch (e) {
      this.unavailable = e instanceof Error ? e.message : String(e);
      return { ok: false, retry: false, error: this.unavailable };
    }
    const err = this.sock.open();
    if (err !== undefined) {
      this.sock = undefined;
      return { ok: false, retry: false, error: err };
    }
    return OK;
  }


}

export function createJournalSink(opts: JournalSinkOptions): Sink {
  return new JournalSink(opts);
}
