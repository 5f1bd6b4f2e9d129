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

type Elu = ReturnType<typeof performance.eventLoopUtilization>;

/**
 * Decides, at each timed tick, whether to draw. When the event loop was saturated since the last
 * tick (ingest is heavy: sources are waiting on this thread), ticks are skipped, never queued,
 * until BUSY_FRAME_MS passed since the last frame drawn; otherwise every tick draws.
 */
export class FramePacer {
  private lastElu: Elu | undefined;
  private lastDrawAt = -Infinity;

  constructor(private readonly elu: (prev?: Elu) => Elu = (prev) => performance.eventLoopUtilization(prev)) {}

  shouldDraw(now: number): boolean {
    const total = this.elu();
    const busy = this.lastElu === undefined ? 0 : this.elu(this.lastElu).utilization;
    this.lastElu = total;
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
      if (!pacer.shouldDraw(performance.now())) return;
      onTick?.();
      refresh();
    };
    const timer = setInterval(tick, Math.max(10, Math.round(1000 / Math.max(0.1, fps))));
    return () => clearInterval(timer);
  }, [refresh, fps, onTick]);
  return [sample, refresh];
}
