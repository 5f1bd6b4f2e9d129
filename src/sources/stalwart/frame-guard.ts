/**
 * Watches the raw bytes of an SSE stream for frame boundaries (a blank line: `\n\n`, `\r\r` or
 * `\r\n\r\n`), so the source knows how large the frame being received is (a frame over the limit
 * is refused before it is buffered whole) and whether a dropped connection cut one mid-way.
 */
export class FrameGuard {
  /** Bytes of the frame being received (0 between frames). */
  pending = 0;
  /** Complete frames seen. */
  frames = 0;
  private atLineStart = true;
  private afterCR = false;

  constructor(readonly maxFrameBytes: number) {}

  /** Feeds one chunk; returns false when the frame being received is over the limit. */
  feed(chunk: Uint8Array): boolean {
    let pending = this.pending;
    let atLineStart = this.atLineStart;
    let afterCR = this.afterCR;
    let frames = this.frames;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === 10 || b === 13) {
        if (b === 10 && afterCR) {
          afterCR = false;
          continue;
        }
        afterCR = b === 13;
        if (atLineStart) {
          if (pending > 0) frames++;
          pending = 0;
        } else {
          atLineStart = true;
          pending++;
        }
        continue;
      }
      afterCR = false;
      atLineStart = false;
      pending++;
    }
    this.pending = pending;
    this.atLineStart = atLineStart;
    this.afterCR = afterCR;
    this.frames = frames;
    return pending <= this.maxFrameBytes;
  }

  /** True when the stream stopped inside a frame. */
  get cut(): boolean {
    return this.pending > 0;
  }
}
