/**
 * Stalwart v0.16 resends every event in every `trace` frame (docs/stalwart.md §4: since commit
 * 7564f516, v0.16.0, crates/http/src/api/telemetry.rs keeps one `events` list per stream and
 * serialises `events.iter()` into each frame instead of `std::mem::take`). The same events
 * serialise the same way, so a frame of such a stream is the previous frame's array, without its
 * closing `]`, then `,` and the new elements. This hands on only what is new; a server that sends
 * disjoint frames (v0.15, a fixed v0.16) never matches and is handed on unchanged.
 */
export class RepeatSkipper {
  /** Frames that repeated earlier events (wholly or as their head). */
  repeatFrames = 0;
  /** Bytes of repeated events not handed on. */
  skippedBytes = 0;
  /** The previous frame's data on this connection (a JSON array), or undefined. */
  private prev: string | undefined;

  /** True once any frame of this source repeated an earlier one. */
  get seen(): boolean {
    return this.repeatFrames > 0;
  }

  /**
   * The part of `data` to hand on: all of it, the new tail as its own array (`[` + rest), or
   * undefined when the frame repeats the previous one exactly.
   */
  next(data: string): string | undefined {
    const prev = this.prev;
    this.prev = data.startsWith('[') && data.endsWith(']') ? data : undefined;
    if (prev === undefined) return data;
    if (data === prev) {
      this.repeatFrames++;
      this.skippedBytes += data.length;
      return undefined;
    }
    const head = prev.length - 1; // prev without its closing `]`
    if (head > 1 && data.length > prev.length && data.charCodeAt(head) === 44 /* , */ && data.startsWith(prev.slice(0, head))) {
      this.repeatFrames++;
      this.skippedBytes += head;
      return '[' + data.slice(head + 1);
    }
    return data;
  }

  /**
   * Forgets the previous frame: a new connection (the server's list starts empty), or a frame the
   * ingest found malformed (only a well-formed array may serve as the head of the next one).
   */
  forget(): void {
    this.prev = undefined;
  }
}

/**
 * Size of a repeating frame at which the stream is restarted (a new token and connection: the
 * server's list starts empty): 1 MiB, or a quarter of max-frame when that is smaller, so a stream
 * is restarted long before a frame could reach max-frame (that would need three times the
 * stream's whole history within one second). Every frame costs its full size to receive and
 * compare, and an idle stream resends it every 30 s; at 1 MiB (a couple of thousand v0.16
 * elements) that stays cheap, and the server's own list for the stream stays bounded too.
 */
export function restartBytes(maxFrameBytes: number): number {
  return Math.min(1024 * 1024, Math.floor(maxFrameBytes / 4));
}

export function repeatsNote(restarts: number): string {
  return `Stalwart v0.16 resends every event in every frame: repeats skipped, stream restarted ${restarts} ${restarts === 1 ? 'time' : 'times'}`;
}
