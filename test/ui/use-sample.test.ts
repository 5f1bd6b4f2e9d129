import { describe, expect, it } from 'vitest';
import { BUSY_FRAME_MS, FramePacer } from '../../src/ui/use-sample.js';

/** A fake event-loop clock: `busy` is the utilization reported for the next interval. */
function pacerWith(busy: number[]) {
  let i = 0;
  const elu = (prev?: { utilization: number }) => (prev ? { idle: 0, active: 0, utilization: busy[i++] ?? 0 } : { idle: 0, active: 0, utilization: 0 });
  return new FramePacer(elu as never);
}

describe('FramePacer', () => {
  it('draws every tick while the event loop has time to spare', () => {
    const p = pacerWith([0.2, 0.5, 0.89, 0.1]);
    expect([0, 100, 200, 300, 400].map((t) => p.shouldDraw(t))).toEqual([true, true, true, true, true]);
  });

  it('skips ticks under heavy ingest, drawing once per BUSY_FRAME_MS', () => {
    const p = pacerWith(Array(20).fill(0.99));
    const drawn = Array.from({ length: 20 }, (_, k) => k * 100).filter((t) => p.shouldDraw(t));
    expect(drawn).toEqual([0, BUSY_FRAME_MS, 2 * BUSY_FRAME_MS, 3 * BUSY_FRAME_MS].filter((t) => t < 2000));
  });

  it('goes back to every tick as soon as the loop is free again', () => {
    const p = pacerWith([0.99, 0.99, 0.3, 0.3]);
    expect([0, 100, 200, 300, 400].map((t) => p.shouldDraw(t))).toEqual([true, false, false, true, true]);
  });
});
