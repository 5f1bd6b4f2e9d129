import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { EventList, countUpTo } from '../../../src/ui/view/event-list.js';

describe('EventList', () => {
  const mk = (n: number, from = 1): TelemetryEvent[] =>
    Array.from({ length: n }, (_, i) => ({ seq: from + i, type: i % 2 ? 'smtp.ehlo' : 'auth.success', level: 'info', createdAt: 0, data: { n: from + i }, text: 'x' }));

  it('appends only new matches, drops events that left the history, and keeps the array when nothing changed', () => {
    const list = new EventList();
    const h1 = mk(10);
    const a = list.update(h1, 'ehlo', 'trace');
    expect(a.map((e) => e.seq)).toEqual([2, 4, 6, 8, 10]);
    expect(list.update(h1.slice(), 'ehlo', 'trace')).toBe(a);
    const h2 = [...mk(10).slice(4), ...mk(4, 11)]; // ring moved: 5..14
    expect(list.update(h2, 'ehlo', 'trace').map((e) => e.seq)).toEqual([6, 8, 10, 12, 14]);
    expect(list.update(h2, 'auth', 'trace').map((e) => e.seq)).toEqual([5, 7, 9, 11, 13]);
    expect(list.update([], 'auth', 'trace')).toEqual([]);
  });

  it('keeps the rows up to a freeze point after they left the history, cuts only the newer ones, and lets go when unfrozen', () => {
    const list = new EventList();
    list.update(mk(10), 'ehlo', 'trace', 0);
    // Frozen at seq 10; the ring turns over completely: 21..30.
    const frozen = list.update(mk(10, 21), 'ehlo', 'trace', 10);
    expect(frozen.map((e) => e.seq)).toEqual([2, 4, 6, 8, 10, 22, 24, 26, 28, 30]);
    expect(countUpTo(frozen, 10)).toBe(5); // the frozen pane still shows its five rows
    // Still frozen, the ring moves on again (31..40): the newer matches that left are cut.
    expect(list.update(mk(10, 31), 'ehlo', 'trace', 10).map((e) => e.seq)).toEqual([2, 4, 6, 8, 10, 32, 34, 36, 38, 40]);
    // Unfrozen: the history alone.
    expect(list.update(mk(10, 31), 'ehlo', 'trace', 0).map((e) => e.seq)).toEqual([32, 34, 36, 38, 40]);
  });

  it('counts rows up to a freeze point', () => {
    const items = mk(10).filter((e) => e.seq % 2 === 0);
    expect(countUpTo(items, 0)).toBe(0);
    expect(countUpTo(items, 5)).toBe(2);
    expect(countUpTo(items, 6)).toBe(3);
    expect(countUpTo(items, 99)).toBe(5);
  });
});
