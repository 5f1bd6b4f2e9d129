/**
 * SIGINT and SIGTERM from the first moment: bin/mailtel.js records signals that come while the
 * bundle loads (before any of this code runs) in `globalThis[EARLY]`; `takeSignals()` adopts
 * them and installs the process's only handlers, so a signal during start-up is a clean stop,
 * never death by the default action. The first signal asks for a graceful stop, any later
 * one for an immediate exit.
 */
const EARLY = Symbol.for('mailtel.early-signals');
const NAMES = ['SIGINT', 'SIGTERM'] as const;
type Name = (typeof NAMES)[number];

interface Early {
  received: Name[];
  listener: (sig: Name) => void;
}

export class Signals {
  readonly received: Name[] = [];
  private handler: ((sig: Name, count: number) => void) | undefined;
  private readonly listener = (sig: Name) => {
    this.received.push(sig);
    this.handler?.(sig, this.received.length);
  };

  constructor() {
    const early = (globalThis as Record<symbol, Early | undefined>)[EARLY];
    for (const s of NAMES) process.on(s, this.listener);
    if (early) {
      for (const s of NAMES) process.off(s, early.listener);
      this.received.push(...early.received);
      delete (globalThis as Record<symbol, unknown>)[EARLY];
    }
  }

  /** Calls `fn` for every signal, the ones already received first (asynchronously). */
  on(fn: (sig: Name, count: number) => void): void {
    this.handler = fn;
    const past = this.received.slice();
    if (past.length) queueMicrotask(() => past.forEach((s, i) => fn(s, i + 1)));
  }

  /** Gives signals back to Node's default (and to other code's handlers). */
  release(): void {
    for (const s of NAMES) process.off(s, this.listener);
    this.handler = undefined;
  }
}

/** Installs the handlers once; later calls return the same. */
let installed: Signals | undefined;
export function takeSignals(): Signals {
  installed ??= new Signals();
  return installed;
}
