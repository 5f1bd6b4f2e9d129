import { describe, expect, it } from 'vitest';
import { BUSY_FRAME_MS, FramePacer, HEAVY_FOR_MS } from '../../src/ui/use-sample.js';

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

  it('calls ingest heavy from a saturated interval until the loop has had time for HEAVY_FOR_MS', () => {
    const p = pacerWith([0.99, 0.5, 0.5, 0.99, ...Array(40).fill(0.2)]);
    const heavy = (t: number) => (p.shouldDraw(t), p.heavy);
    expect(heavy(0)).toBe(false); // no interval measured yet
    expect([100, 200, 300, 400].map(heavy)).toEqual([true, true, true, true]);
    expect(heavy(400 + HEAVY_FOR_MS - 100)).toBe(true);
    expect(heavy(400 + HEAVY_FOR_MS)).toBe(false);
  });
});

