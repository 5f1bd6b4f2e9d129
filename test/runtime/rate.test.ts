import { describe, expect, it } from 'vitest';
import { RateCounter } from '../../src/runtime/rate.js';

describe('rate counter', () => {
  it('reports the last whole second, a 10 s mean and a 60 s history', () => {
    const r = new RateCounter();
    const t0 = 1_000_000_000;
    for (let s = 0; s < 12; s++) r.add(s * 10, t0 + s * 1000 + 500);
    const now = t0 + 12 * 1000 + 100;
    expect(r.rate1s(now)).toBe(110);
    expect(r.rate10s(now)).toBe((20 + 30 + 40 + 50 + 60 + 70 + 80 + 90 + 100 + 110) / 10);
    const h = r.history(now);
    expect(h).toHaveLength(60);
    expect(h.slice(-3)).toEqual([90, 100, 110]);
  });
});
