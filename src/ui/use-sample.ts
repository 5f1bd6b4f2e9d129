import { useCallback, useEffect, useRef, useState } from 'react';
import { performance } from 'node:perf_hooks';
import type { TelemetryEvent } from '../runtime/event.js';
import type { RuntimeApi, Snapshot } from '../runtime/types.js';

/** One frame's data: the runtime snapshot and its event history. */
export interface Sample {
  snap: Snapshot;
  history: readonly TelemetryEvent[];
}

/** Event-loop utilization above which ingest is called heavy (the loop has no time to spare). */
export const BUSY_LOOP = 0.9;
/** While ingest is heavy, timed frames are drawn at most this often (the ticks between are skipped). */
export const BUSY_FRAME_MS = 500;
/**
 * While ingest is heavy, the runtime's history holds at most this many events (back to its size
 * as soon as the loop has time again). At that pace the full history is a fraction of a second
 * no frame shows, and holding it is the console's largest cost: in a replay of 300k events
 * through the collector, a 10,000-event history takes ~470 ms more CPU than a 1,000-event one
 * (GC: the events live across two young-generation collections, are copied and promoted),
 * 2,000 about 60 ms.
 */
export const BUSY_HISTORY = 2_000;
/** Ingest counts as heavy from a saturated interval until the loop has had time for this long. */
export const HEAVY_FOR_MS = 2_000;

type Elu = ReturnType<typeof performance.eventLoopUtilization>;

/**
 * Decides, at each timed tick, whether to draw. When the event loop was saturated since the last
 * tick (ingest is heavy: sources are waiting on this thread), ticks are skipped, never queued,
 * until BUSY_FRAME_MS passed since the last frame drawn; otherwise every tick draws.
 */
export class FramePacer {
  private lastElu: Elu | undefined;
  private lastDrawAt = -Infinity;
  private heavyUntil = -Infinity;
  /** The event loop was saturated within the last HEAVY_FOR_MS (short dips, e.g. waiting on a sink's writes, do not count). */
  heavy = false;

  constructor(private readonly elu: (prev?: Elu) => Elu = (prev) => performance.eventLoopUtilization(prev)) {}

  shouldDraw(now: number): boolean {
    const total = this.elu();
    const busy = this.lastElu === undefined ? 0 : this.elu(this.lastElu).utilization;
    this.lastElu = total;
    if (busy >= BUSY_LOOP) this.heavyUntil = now + HEAVY_FOR_MS;
    this.heavy = now < this.heavyUntil;
    if (busy >= BUSY_LOOP && now - this.lastDrawAt < BUSY_FRAME_MS) return false;
    this.lastDrawAt = now;
    return true;
  }
}

/**
 * Samples the runtime at a fixed rate (`fps` per second), never once per event. The history
 * is fetched again only when the snapshot's seq moved. `refresh` samples at once (after a
 * command, so a toggled sink shows on the very next frame). Under heavy ingest (see
 * FramePacer) timed frames are skipped so the screen does not take the pipeline's time.
 * While ingest is heavy (see FramePacer.heavy), the history holds at most BUSY_HISTORY events
 * (RuntimeApi.holdHistory).
 * `onTick` is called as each drawn timed frame starts (benchmarks time the frame from there to
 * the terminal write).
 */
export function useSample(runtime: RuntimeApi, fps: number, onTick?: () => void): [Sample, () => void] {
  const last = useRef<Sample | undefined>(undefined);
  const read = useCallback((): Sample => {
    const snap = runtime.snapshot();
    const prev = last.current;
    const history = prev && prev.snap.seq === snap.seq ? prev.history : runtime.recentEvents();
    last.current = { snap, history };
    return last.current;
  }, [runtime]);
  const [sample, setSample] = useState(read);
  const refresh = useCallback(() => setSample(read()), [read]);
  useEffect(() => {
    const pacer = new FramePacer();
    const tick = () => {
      const draw = pacer.shouldDraw(performance.now());
      runtime.holdHistory?.(pacer.heavy ? BUSY_HISTORY : Infinity);
      if (!draw) return;
      onTick?.();
      refresh();
    };
    const timer = setInterval(tick, Math.max(10, Math.round(1000 / Math.max(0.1, fps))));
    return () => {
      clearInterval(timer);
      runtime.holdHistory?.(Infinity);
    };
  }, [runtime, refresh, fps, onTick]);
  return [sample, refresh];
}
