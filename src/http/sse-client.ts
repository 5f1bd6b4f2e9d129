/**
 * One connected `text/event-stream` client with a bounded buffer. Writing never waits: when the
 * bytes the client has not read yet, plus the next frame, would pass the limit, the client is
 * disconnected and reported as dropped. A client that reads keeps an empty buffer between frames,
 * so even a frame larger than the limit goes through; only a client that stops reading is cut.
 */
import type http from 'node:http';

export const PING_INTERVAL_MS = 30_000;
export const PING_FRAME = Buffer.from(`event: ping\ndata: {"interval": ${PING_INTERVAL_MS}}\n\n`);

export interface SseHooks {
  /** Bytes actually handed to the socket: one frame. */
  wrote(bytes: number): void;
  /** The client left (or was cut); `dropped` when cut for not reading. */
  closed(client: SseClient, dropped: boolean): void;
}

export class SseClient {
  closed = false;
  /** When the last frame (of any kind) was written. */
  lastWriteAt: number;

  constructor(
    readonly res: http.ServerResponse,
    private readonly limitBytes: number,
    private readonly hooks: SseHooks,
    readonly remote: string,
    now: number,
  ) {
    this.lastWriteAt = now;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.socket?.setNoDelay(true);
    const gone = (): void => this.finish(false);
    res.on('close', gone);
    res.on('error', gone);
  }

  /**
   * Queues one frame (one Buffer, or parts shared with other clients, written without copying);
   * false when the client is gone or was just cut for not reading.
   */
  write(frame: Buffer | readonly Buffer[], now: number, length = Buffer.isBuffer(frame) ? frame.length : frame.reduce((n, b) => n + b.length, 0)): boolean {
    if (this.closed) return false;
    const unread = this.res.writableLength;
    if (unread > 0 && unread + length > this.limitBytes) {
      this.finish(true);
      this.res.destroy();
      return false;
    }
    if (Buffer.isBuffer(frame)) this.res.write(frame);
    else {
      this.res.cork();
      for (const part of frame) this.res.write(part);
      process.nextTick(() => this.res.uncork());
    }
    this.lastWriteAt = now;
    this.hooks.wrote(length);
    return true;
  }

  /** Ends the stream politely (the server switched streams off, or is stopping). */
  end(): void {
    if (this.closed) return;
    this.finish(false);
    this.res.end();
  }

  private finish(dropped: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.hooks.closed(this, dropped);
  }
}
