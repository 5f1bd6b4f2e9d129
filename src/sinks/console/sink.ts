import type { ConsoleTracerConfig } from './config.js';
import { formatLine, LineBuffer, writeLine, type TextOptions } from '../../format/text.js';
import type { TelemetryEvent } from '../../runtime/event.js';
import type { Sink, WriteResult } from '../../runtime/types.js';

/** Stalwart's console writer buffers up to 4 KiB and flushes after each batch (docs/stalwart.md §1b). */
export const CONSOLE_BUFFER_BYTES = 4096;

const OK: WriteResult = { ok: true };

type Out = NodeJS.WritableStream & { destroyed?: boolean; writableNeedDrain?: boolean };

/**
 * docs/stalwart.md §1b console sink: the §7 text line to `out`, and only to `out`. The runtime passes stderr in
 * headless mode (Stalwart's console tracer always writes to stderr) and a capture stream under
 * the screen; `target` says `stderr` either way.
 *
 * buffered: lines gather (as bytes) in a 4 KiB buffer that is written when the next line would not fit
 * and after each batch (so one write per batch, or per 4 KiB); a single line over 4 KiB goes
 * out with the buffer in one write. Unbuffered: one write per event.
 * When `out.write` returns false the sink waits for 'drain' before writing on, so a batch
 * resolves only once `out` accepted it. A stream error is reported as a failed write, never
 * thrown (the sink keeps an 'error' listener on `out` until `close`).
 */
export function createConsoleSink(cfg: ConsoleTracerConfig, out: NodeJS.WritableStream): Sink {
  return new ConsoleSink(cfg, out as Out);
}

class ConsoleSink implements Sink {
  readonly id: string;
  readonly type = 'console';
  readonly target = 'stderr';
  private readonly opts: TextOptions;
  private writes = 0;
  private bytes = 0;
  private streamError: Error | null = null;
  private readonly buf = new LineBuffer(2 * CONSOLE_BUFFER_BYTES);
  private readonly onError = (e: Error): void => {
    this.streamError = e;
  };

  constructor(
    private readonly cfg: ConsoleTracerConfig,
    private readonly out: Out,
  ) {
    this.id = cfg.id;
    this.opts = { ansi: cfg.ansi, multiline: cfg.multiline };
    out.on('error', this.onError);
  }

  async write(batch: readonly TelemetryEvent[]): Promise<WriteResult> {
    try {
      if (this.cfg.buffered) await this.writeBuffered(batch);
      else {
        for (const ev of batch) {
          const wait = this.put(formatLine(ev, this.opts));
          if (wait) await wait;
        }
      }
    } catch (e) {
      return this.failure(e);
    }
    return this.streamError ? this.failure(this.streamError) : OK;
  }

  async flush(): Promise<void> {
    if (this.out.writableNeedDrain && !this.out.destroyed) await this.drain().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.removeListener('error', this.onError);
  }

  details(): Record<string, string | number | boolean | null> {
    return { buffered: this.cfg.buffered, writes: this.writes, bytes: this.bytes };
  }

  /** Lines are written as bytes into `buf`; each chunk that goes out is a copy of its bytes. */
  private async writeBuffered(batch: readonly TelemetryEvent[]): Promise<void> {
    const b = this.buf;
    b.reset();
    for (const ev of batch) {
      const start = b.length;
      writeLine(ev, this.opts, b);
      const n = b.length - start;
      if (start + n < CONSOLE_BUFFER_BYTES) continue;
      // Does not fit: send what is held; a line longer than the buffer goes along with it.
      const big = n > CONSOLE_BUFFER_BYTES;
      const end = big ? b.length : start;
      if (end > 0) {
        const chunk = Buffer.from(b.bytes.subarray(0, end));
        if (big) b.reset();
        else {
          b.bytes.copy(b.bytes, 0, start, start + n);
          b.length = n;
        }
        const wait = this.put(chunk);
        if (wait) await wait;
      }
    }
    if (b.length > 0) {
      const wait = this.put(Buffer.from(b.bytes.subarray(0, b.length)));
      if (wait) await wait;
    }
  }

  /** One `out.write`; returns a promise only when `out` asked us to wait for 'drain'. */
  private put(chunk: string | Buffer): Promise<void> | undefined {
    if (this.out.destroyed) throw new Error('stderr stream is closed');
    if (this.streamError) throw this.streamError;
    this.writes++;
    this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk, 'utf8') : chunk.length;
    return this.out.write(chunk) ? undefined : this.drain();
  }

  private drain(): Promise<void> {
    const out = this.out;
    return new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        out.removeListener('drain', onDrain);
        out.removeListener('error', onFail);
        out.removeListener('close', onClose);
      };
      const onDrain = (): void => (cleanup(), resolve());
      const onFail = (e: Error): void => (cleanup(), reject(e));
      const onClose = (): void => onFail(new Error('stderr stream closed while waiting to drain'));
      out.once('drain', onDrain);
      out.once('error', onFail);
      out.once('close', onClose);
    });
  }

  private failure(e: unknown): WriteResult {
    this.streamError = null;
    return { ok: false, retry: false, error: `console: ${e instanceof Error ? e.message : String(e)}` };
  }
}
