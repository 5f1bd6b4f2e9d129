import type { Snapshot } from './runtime/types.js';

type Message = Snapshot['messages'][number];

/** Lines per origin per window before the rest are only counted. */
const BURST = 5;
const WINDOW_MS = 10_000;

/**
 * Prints the runtime's warnings and errors to stderr as they happen, one line each with the
 * time and the text (which starts with its origin: `source fx: ...`, `sink t_log: ...`). Per
 * origin at most BURST lines per 10 s; the rest become one "N more like this" line.
 */
export class MessagePrinter {
  private readonly windows = new Map<string, { start: number; shown: number; held: number; timer?: NodeJS.Timeout }>();

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly windowMs = WINDOW_MS,
    private readonly burst = BURST,
  ) {}

  print(m: Message): void {
    if (m.level === 'info') return;
    const origin = m.origin ?? 'mailtel';
    let w = this.windows.get(origin);
    if (!w || m.at - w.start >= this.windowMs) {
      if (w) this.summary(origin, w);
      w = { start: m.at, shown: 0, held: 0 };
      this.windows.set(origin, w);
    }
    if (w.shown < this.burst) {
      w.shown++;
      this.out.write(`mailtel ${clock(m.at)} ${m.level.toUpperCase()} ${m.text}\n`);
      return;
    }
    w.held++;
    if (!w.timer) {
      const win = w;
      win.timer = setTimeout(() => this.summary(origin, win), Math.max(0, win.start + this.windowMs - Date.now()));
      win.timer.unref();
    }
  }

  /** Says what was held back (at the end of a window, and at exit). */
  flush(): void {
    for (const [origin, w] of this.windows) this.summary(origin, w);
  }

  private summary(origin: string, w: { held: number; timer?: NodeJS.Timeout }): void {
    if (w.timer) clearTimeout(w.timer);
    w.timer = undefined;
    if (w.held === 0) return;
    this.out.write(`mailtel ${clock(Date.now())} ${origin}: ${w.held} more like this in ${this.windowMs / 1000} s (not shown)\n`);
    w.held = 0;
  }
}

function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}
