import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LogTracerConfig } from './config.js';
import { formatLine, type TextOptions } from '../../format/text.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import type { Sink, WriteResult } from '../../runtime/types.js';
import { logFileName, nextBoundary } from './rotation.js';
import { ensureDir } from '../ensure-dir.js';

const OK: WriteResult = { ok: true };

/**
 * §1a log file sink: `<path>/<prefix>.<suffix>`, opened create+append, rotated by the events'
 * own timestamps. The file is opened on the first event (its time picks the name), so replaying
 * old events names files after the events, not the wall clock, and the output is reproducible.
 * A new file is opened when an event's whole second is past the boundary (start of the open
 * file's period + one period), compared with `>` exactly as Stalwart does: an event at exactly
 * 00:00:00 still goes to the previous day's file, 00:00:01 opens the next.
 * Time never rotates backwards: an older event after a newer one stays in the open file.
 *
 * Each batch is formatted into one string and written with one synchronous write per file
 * (two if the batch crosses a boundary). A directory that cannot be created or a failed
 * open/write returns `{ok:false, retry:false}` naming the path; the fd is dropped and the next
 * batch tries again, so the sink recovers once the directory is writable.
 */
export function createLogSink(cfg: LogTracerConfig): Sink {
  return new LogSink(cfg);
}

class LogSink implements Sink {
  readonly id: string;
  readonly type = 'log';
  private readonly opts: TextOptions;
  private fd: number | null = null;
  private file: string | null = null;
  private boundary = Infinity;
  private bytes = 0;
  /** The directory was made (asynchronously: a directory under /proc must not block the loop). */
  private dirReady = false;

  constructor(private readonly cfg: LogTracerConfig) {
    this.id = cfg.id;
    this.opts = { ansi: cfg.ansi, multiline: cfg.multiline };
  }

  /** The open file, or the one an event stamped now would go to. */
  get target(): string {
    return this.file ?? join(this.cfg.path, logFileName(this.cfg.prefix, this.cfg.rotate, Math.floor(Date.now() / 1000)));
  }

  async start(): Promise<WriteResult> {
    return this.makeDir();
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
      return { ok: false, retry: false, error: `log ${this.target}: ${message(e)}` };
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
    let chunk = '';
    for (const ev of batch) {
      const at = Number.isFinite(ev.createdAt) ? ev.createdAt : Date.now();
      const sec = Math.floor(at / 1000);
      if (this.fd === null || sec > this.boundary) {
        if (chunk !== '') {
          const r = this.append(chunk);
          if (!r.ok) return r;
          chunk = '';
        }
        const r = this.open(sec);
        if (!r.ok) return r;
      }
      chunk += formatLine(ev, this.opts);
    }
    return chunk === '' ? OK : this.append(chunk);
  }

  private async makeDir(): Promise<WriteResult> {
    try {
      await ensureDir(this.cfg.path);
      this.dirReady = true;
      return OK;
    } catch (e) {
      return { ok: false, retry: false, error: `cannot create log directory ${this.cfg.path}: ${message(e)}` };
    }
  }

  private open(sec: number): WriteResult {
    this.drop();
    const file = join(this.cfg.path, logFileName(this.cfg.prefix, this.cfg.rotate, sec));
    try {
      this.fd = openSync(file, 'a');
    } catch (e) {
      // The directory may have gone: the next batch makes it again.
      this.dirReady = false;
      return { ok: false, retry: false, error: `cannot open log file ${file}: ${message(e)}` };
    }
    this.file = file;
    this.boundary = nextBoundary(this.cfg.rotate, sec);
    return OK;
  }

  private append(text: string): WriteResult {
    const fd = this.fd;
    if (fd === null) return { ok: false, retry: false, error: `log file ${this.target} is not open` };
    const buf = Buffer.from(text, 'utf8');
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off);
    } catch (e) {
      this.drop();
      return { ok: false, retry: false, error: `cannot write log file ${this.file}: ${message(e)}` };
    }
    this.bytes += buf.length;
    return OK;
  }

  /** Closes the fd (if any); the next event opens its period's file again. */
  private drop(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed or invalid: nothing left to release
      }
      this.fd = null;
    }
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
