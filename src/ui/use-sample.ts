import { useCallback, useEffect, useRef, useState } from 'react';
import type { TelemetryEvent } from '../runtime/event.js';
import type { RuntimeApi, Snapshot } from '../runtime/types.js';

/** One frame's data: the runtime snapshot and its event history. */
export interface Sample {
  snap: Snapshot;
  history: readonly TelemetryEvent[];
}

/**
 * Samples the runtime at a fixed rate (`fps` per second), never once per event. The history
 * is fetched again only when the snapshot's seq moved. `refresh` samples at once (after a
 * command, so a toggled sink shows on the very next frame). `onTick` is called as each timed
 * frame starts (benchmarks time the frame from there to the terminal write).
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
    const tick = onTick
      ? () => {
          onTick();
          refresh();
        }
      : refresh;
    const timer = setInterval(tick, Math.max(10, Math.round(1000 / Math.max(0.1, fps))));
    return () => clearInterval(timer);
  }, [refresh, fps, onTick]);
  return [sample, refresh];
}
