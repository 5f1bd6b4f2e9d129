/**
 * Puts Ink's frames on the terminal, rewriting only the lines that changed.
 *
 * Ink 6.8 renders a frame as full text. Its own writer redraws the whole screen (clear +
 * every line) as soon as the output is as tall as the terminal, which a fixed-height
 * full-screen console always is; its incremental mode only applies below that height. So the
 * console runs Ink in debug mode (it hands every frame over as text) and this writer diffs
 * frame lines against what is on the screen, moving the cursor to each changed line; a block
 * that moved up (the event stream) is scrolled by the terminal, not rewritten. A frame
 * is wrapped in synchronized-update marks (DEC 2026) so terminals that know them never show
 * half a frame. Every byte written is counted for the help overlay.
 */
import { applyScroll, scrollEscapes, scrollPlan } from './scroll-plan.js';

export const ENTER = '\x1b[?1049h\x1b[?25l\x1b[?7l\x1b[H\x1b[2J';
export const LEAVE = '\x1b[0m\x1b[?7h\x1b[?25h\x1b[?1049l';
const SYNC_BEGIN = '\x1b[?2026h';
const SYNC_END = '\x1b[?2026l';

/** Where the writer's bytes go: the real stdout, or a test's recorder. */
export interface TerminalOutput {
  write(chunk: string): unknown;
}

export class TerminalWriter {
  /** Total bytes written, and frames that changed something. */
  bytes = 0;
  frames = 0;
  /** Frames that scrolled a block instead of rewriting it. */
  scrolls = 0;
  private screen: string[] = [];
  private clearNext = false;
  private samples: { at: number; bytes: number }[] = [];

  constructor(
    private readonly out: TerminalOutput,
    private readonly rows: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  private write(s: string): void {
    this.bytes += Buffer.byteLength(s);
    this.out.write(s);
  }

  enter(): void {
    this.write(ENTER);
    this.screen = [];
  }

  leave(): void {
    this.write(LEAVE);
  }

  /** After a resize: clear and repaint everything with the next frame. */
  invalidate(): void {
    this.screen = [];
    this.clearNext = true;
  }

  /** Writes the lines of `frame` that differ from the screen. Returns the bytes written. */
  frame(frame: string): number {
    const rows = this.rows();
    const lines = frame.split('\n');
    if (lines.length > rows) lines.length = rows;
    let buf = '';
    if (this.clearNext) {
      buf += '\x1b[H\x1b[2J';
      this.clearNext = false;
    }
    const plan = this.screen.length === rows && lines.length === rows ? scrollPlan(this.screen, lines) : undefined;
    if (plan) {
      buf += scrollEscapes(plan);
      this.screen = applyScroll(this.screen, plan);
      this.scrolls++;
    }
    const n = Math.max(lines.length, this.screen.length);
    for (let i = 0; i < n && i < rows; i++) {
      const line = lines[i] ?? '';
      if (line === this.screen[i]) continue;
      // Erase first, then write: with auto-wrap off, an erase after a full-width line would
      // take its last column with it.
      buf += `\x1b[${i + 1};1H\x1b[2K${line}${line.includes('\x1b') ? '\x1b[0m' : ''}`;
    }
    this.screen = lines;
    if (!buf) return 0;
    const before = this.bytes;
    this.write(SYNC_BEGIN + buf + SYNC_END);
    this.frames++;
    this.sample();
    return this.bytes - before;
  }

  private sample(): void {
    const at = this.now();
    this.samples.push({ at, bytes: this.bytes });
    while (this.samples.length > 2 && at - this.samples[0]!.at > 5000) this.samples.shift();
  }

  /** Bytes per second over the last few seconds (0 before two frames). */
  bytesPerSecond(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.at === first.at) return 0;
    const at = Math.max(this.now(), last.at);
    return ((last.bytes - first.bytes) * 1000) / (at - first.at);
  }
}
