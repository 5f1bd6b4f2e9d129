/**
 * Watches the raw bytes of an SSE stream for frame boundaries (a blank line: `\n\n`, `\r\r` or
 * `\r\n\r\n`), so the source knows how large the frame being received is (a frame over the limit
 * is refused before it is buffered whole) and whether a dropped connection cut one mid-way.
 */
const BLANK = Buffer.from('\n\n');

export class FrameGuard {
  /** Bytes of the frame being received (0 between frames). */
  pending = 0;
  /** Complete frames seen. */
  frames = 0;
  private atLineStart = true;
  private afterCR = false;

  constructor(readonly maxFrameBytes: number) {}

  /** Feeds one chunk; returns false when the frame being received is over the limit. */
  feed(chunk: Buffer): boolean {
    // Stalwart ends lines with \n only: find the blank lines natively; \r takes the slow path.
    if (!this.afterCR && chunk.indexOf(13) === -1) return this.feedLf(chunk);
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

  private feedLf(chunk: Buffer): boolean {
    let pos = 0;
    let pending = this.pending;
    const end = chunk.length;
    if (this.atLineStart) {
      if (end > 0 && chunk[0] === 10) {
        if (pending > 0) this.frames++;
        pending = 0;
        while (pos < end && chunk[pos] === 10) pos++;
      }
    }
    for (;;) {
      const b = chunk.indexOf(BLANK, pos);
      if (b === -1) break;
      if (pending + (b - pos) > 0) this.frames++;
      pending = 0;
      pos = b + 2;
      while (pos < end && chunk[pos] === 10) pos++;
    }
    if (pos < end) {
      pending += end - pos;
      this.atLineStart = chunk[end - 1] === 10;
    } else if (end > 0) this.atLineStart = true;
    this.pending = pending;
    return pending <= this.maxFrameBytes;
  }

  /** True when the stream stopped inside a frame. */
  get cut(): boolean {
    return this.pending > 0;
  }
}
