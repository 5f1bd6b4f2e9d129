import type { TelemetryEvent } from '../../src/runtime/event.js';
import type { Sink, WriteResult } from '../../src/runtime/types.js';

/**
 * An in-process sink for runtime tests: it records every batch it is handed. `gate()` holds
 * writes until `open()`; `failNext(n, retry)` makes the next n writes fail.
 */
export class RecordingSink implements Sink {
  readonly target = 'memory';
  batches: TelemetryEvent[][] = [];
  private held: Promise<void> | undefined;
  private releaseGate: (() => void) | undefined;
  private failures: { retry: boolean }[] = [];

  constructor(
    readonly id: string,
    readonly type = 'log',
  ) {}

  get events(): TelemetryEvent[] {
    return this.batches.flat();
  }

  gate(): void {
    this.held = new Promise((r) => (this.releaseGate = r));
  }

  open(): void {
    this.releaseGate?.();
    this.held = undefined;
  }

  failNext(n: number, retry: boolean): void {
    for (let i = 0; i < n; i++) this.failures.push({ retry });
  }

  async write(batch: readonly TelemetryEvent[]): Promise<WriteResult> {
    if (this.held) await this.held;
    const f = this.failures.shift();
    if (f) return { ok: false, error: `refused batch of ${batch.length}`, retry: f.retry, retryAfterMs: 10 };
    this.batches.push([...batch]);
    return { ok: true };
  }
}
