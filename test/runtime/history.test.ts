import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../src/runtime/event.js';
import { History } from '../../src/runtime/history.js';

const ev = (seq: number, spanId?: string): TelemetryEvent => ({ seq, type: 'smtp.ehlo', level: 'info', createdAt: seq, data: {}, text: 'x', ...(spanId ? { spanId } : {}) });

describe('History', () => {
  it('keeps the newest `capacity` events, oldest first, also after the ring wrapped many times', () => {
    const h = new History(5);
    for (let i = 1; i <= 3; i++) h.push(ev(i));
    expect(h.toArray().map((e) => e.seq)).toEqual([1, 2, 3]);
    for (let i = 4; i <= 23; i++) {
      h.push(ev(i));
      expect(h.toArray().map((e) => e.seq)).toEqual(Array.from({ length: Math.min(5, i) }, (_, k) => Math.max(1, i - 4) + k));
    }
    expect(h.size).toBe(5);
  });

  it('finds the events of one span still held, in order; capacity 0 holds nothing', () => {
    const h = new History(4);
    [ev(1, 'a'), ev(2, 'b'), ev(3, 'a'), ev(4), ev(5, 'a'), ev(6, 'b')].forEach((e) => h.push(e));
    expect(h.span('a').map((e) => e.seq)).toEqual([3, 5]);
    expect(h.span('b').map((e) => e.seq)).toEqual([6]);
    const none = new History(0);
    none.push(ev(1));
    expect(none.toArray()).toEqual([]);
  });

  it('holds fewer while told to (the oldest go at once), then fills up again to its size', () => {
    const h = new History(6);
    for (let i = 1; i <= 9; i++) h.push(ev(i)); // wrapped: 4..9
    h.hold(3);
    expect(h.holding).toBe(3);
    expect(h.toArray().map((e) => e.seq)).toEqual([7, 8, 9]);
    for (let i = 10; i <= 14; i++) h.push(ev(i));
    expect(h.toArray().map((e) => e.seq)).toEqual([12, 13, 14]);
    h.hold(Infinity);
    expect(h.holding).toBe(6);
    for (let i = 15; i <= 17; i++) h.push(ev(i));
    expect(h.toArray().map((e) => e.seq)).toEqual([12, 13, 14, 15, 16, 17]);
    for (let i = 18; i <= 25; i++) h.push(ev(i));
    expect(h.toArray().map((e) => e.seq)).toEqual([20, 21, 22, 23, 24, 25]);
    expect(h.span('x')).toEqual([]);
  });
});
