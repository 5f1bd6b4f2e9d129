import { closeSync, openSync, writeSync } from 'node:fs';
import { ensureDir } from '../ensure-dir.js';
import { join } from 'node:path';
import type { LogTracerConfig } from './config.js';
import { LineBuffer, writeLine, type TextOptions } from '../../format/text.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import type { Sink, WriteResult } from '../../runtime/types.js';
import { logFileName, nextBoundary } from './rotation.js';

const OK: WriteResult = { ok: true };

/** Stalwart's `telemetry.log-error` details texts (crates/common/src/telemetry/tracers/log.rs). */
export const LOG_CREATE_FAILED = 'Failed to create log file';
export const LOG_WRITE_FAILED = 'Failed to write event to log';

/**
 * docs/stalwart.md §0/§1a log file sink: `<path>/<prefix>.<suffix>`, opened create+append.
 *
 * As in Stalwart, the file name and the rotation boundary come from the wall clock (`now`) when
 * the file is opened: at start, and again at each rotation. An event whose whole second is past
 * the boundary (compared with `>`) triggers the rotation; the new file is again named by the
 * wall clock. So a replay of last year's events writes into today's file. An event at exactly
 * the boundary second stays in the open file.
 *
 * Failures raise `telemetry.log-error` with Stalwart's details: "Failed to create log file"
 * (`path`, `reason`) when the file cannot be opened, "Failed to write event to log" (`reason`)
 * when a write fails. Two deliberate improvements over Stalwart, which stops the tracer in
 * both cases and never creates the directory: a missing directory is created, and after a
 * failure the next batch tries again, so the sink recovers once the path is writable.
 *
 * Each batch is formatted as bytes into one reused buffer and written with one synchronous
 * write per file (two if the batch crosses a boundary).
 */
export function createLogSink(cfg: LogTracerConfig, now: () => number = Date.now): Sink {
  return new LogSink(cfg, now);
}

/** The last batch a log sink wrote: its events, options and the buffer still holding its bytes. */
interface WrittenBatch {
  events: readonly TelemetryEvent[];
  opts: TextOptions;
  out: LineBuffer;
  /** The buffer's length then: it has been reused since when it differs. */
  length: number;
}
let lastBatch: WrittenBatch | undefined;

class LogSink implements Sink {
  readonly id: string;
  readonly type = 'log';
  private readonly opts: TextOptions;
  private fd: number | null = null;
  private file: string | null = null;
  private boundary = Infinity;
  private bytes = 0;
  private readonly out = new LineBuffer();
  /** The directory was made, asynchronously: one under /proc must never block the event loop. */
  private dirReady = false;

  constructor(
    private readonly cfg: LogTracerConfig,
    private readonly now: () => number,
  ) {
    this.id = cfg.id;
    this.opts = { ansi: cfg.ansi, multiline: cfg.multiline };
  }

  /** The open file, or the one that opening now would give. */
  get target(): string {
    return this.file ?? this.pathNow();
  }

  async start(): Promise<WriteResult> {
    const dir = await this.makeDir();
    return dir.ok ? this.open() : dir;
  }

  async write(batch: readonly TelemetryEvent[]): Promise<WriteResult> {
    if (!this.dirReady) {
      const dir = await this.makeDir();
      if (!dir.ok) return dir;
    }
    try {
      return this.writeBatch(batch);
    } catch (e) {
      this.drop();
      return writeFailed(this.target, message(e));
    }
  }

  /** Writes are synchronous: once `write` resolved, the bytes are with the kernel. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.drop();
  }

  details(): Record<string, string | number | boolean | null> {
    return { file: this.target, bytes: this.bytes };
  }

  private writeBatch(batch: readonly TelemetryEvent[]): WriteResult {
    if (this.fd === null) {
      const r = this.open();
      if (!r.ok) return r;
    }
    const out = this.out;
    const done = lastBatch;
    if (done !== undefined && done.out.length === done.length && this.sameBatch(done, batch)) {
      // Another log sink with the same options just wrote these very events: its bytes are ours.
      return this.append(done.out.bytes, done.length);
    }
    lastBatch = undefined;
    out.reset();
    let whole = true;
    for (const ev of batch) {
      const sec = Math.floor((Number.isFinite(ev.createdAt) ? ev.createdAt : this.now()) / 1000);
      if (sec > this.boundary) {
        whole = false;
        if (out.length > 0) {
          const r = this.append();
          if (!r.ok) return r;
          out.reset();
        }
        const r = this.open();
        if (!r.ok) return r;
      }
      writeLine(ev, this.opts, out);
    }
    const r = out.length === 0 ? OK : this.append();
    lastBatch = r.ok && whole && out.length > 0 ? { events: batch, opts: this.opts, out, length: out.length } : undefined;
    // A batch of huge lines does not keep a huge buffer.
    if (out.bytes.length > 1 << 22) {
      this.out.bytes = Buffer.allocUnsafe(1 << 16);
      lastBatch = undefined;
    }
    return r;
  }

  /**
   * True when `batch` holds the events `done` wrote, in the same order, with the same options,
   * and none of them would rotate this sink's file (then the bytes are the same: a line depends
   * only on its event and the options).
   */
  private sameBatch(done: WrittenBatch, batch: readonly TelemetryEvent[]): boolean {
    const events = done.events;
    const n = batch.length;
    if (events.length !== n || done.opts.ansi !== this.opts.ansi || done.opts.multiline !== this.opts.multiline || done.out === this.out) return false;
    for (let i = 0; i < n; i++) {
      const ev = batch[i]!;
      if (ev !== events[i]) return false;
      if (Math.floor((Number.isFinite(ev.createdAt) ? ev.createdAt : this.now()) / 1000) > this.boundary) return false;
    }
    return true;
  }

  private pathNow(): string {
    return join(this.cfg.path, logFileName(this.cfg.prefix, this.cfg.rotate, Math.floor(this.now() / 1000)));
  }

  private async makeDir(): Promise<WriteResult> {
    try {
      await ensureDir(this.cfg.path);
      this.dirReady = true;
      return OK;
    } catch (e) {
      const file = this.pathNow();
      return { ok: false, retry: false, error: `${LOG_CREATE_FAILED} ${file}: ${message(e)}`, event: { details: LOG_CREATE_FAILED, path: file, reason: message(e) } };
    }
  }

  /** Opens the file the wall clock names now (keeping the fd when that is the open file). */
  private open(): WriteResult {
    const sec = Math.floor(this.now() / 1000);
    const file = join(this.cfg.path, logFileName(this.cfg.prefix, this.cfg.rotate, sec));
    this.boundary = nextBoundary(this.cfg.rotate, sec);
    if (this.fd !== null && file === this.file) return OK;
    this.drop();
    try {
      this.fd = openSync(file, 'a');
    } catch (e) {
      // The directory may have gone: the next batch makes it again.
      this.dirReady = false;
      return {
        ok: false,
        retry: false,
        error: `${LOG_CREATE_FAILED} ${file}: ${message(e)}`,
        event: { details: LOG_CREATE_FAILED, path: file, reason: message(e) },
      };
    }
    this.file = file;
    return OK;
  }

  /** Writes what `out` holds (or `length` bytes of `bytes`). */
  private append(bytes = this.out.bytes, length = this.out.length): WriteResult {
    const fd = this.fd!;
    try {
      let off = 0;
      while (off < length) off += writeSync(fd, bytes, off, length - off);
    } catch (e) {
      this.drop();
      return writeFailed(this.target, message(e));
    }
    this.bytes += length;
    return OK;
  }

  /** Closes the fd (if any); the next batch opens the file the clock names again. */
  private drop(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed or invalid: nothing left to release
      }
      this.fd = null;
      this.file = null;
    }
  }
}

function writeFailed(file: string, reason: string): WriteResult {
  return { ok: false, retry: false, error: `${LOG_WRITE_FAILED} ${file}: ${reason}`, event: { reason, details: LOG_WRITE_FAILED } };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
