import { describe, expect, it } from 'vitest';
import { barCell, cursorForTime, histogram } from '../../../src/ui/view/histogram.js';
import { MailFeed } from '../../helpers/mail-feed.js';

describe('event-rate histogram', () => {
  it('buckets the visible history in round steps, keeps empty buckets, marks the worst level', () => {
    const f = new MailFeed();
    f.now = 1_000_000;
    f.emit('auth.success', { accountName: 'a' }, undefined, 0).emit('auth.success', { accountName: 'a' }, undefined, 5_000);
    f.emit('store.unexpected-error', { reason: 'x' }, undefined, 20_000); // at 1_005_000
    f.emit('auth.success', { accountName: 'a' }, undefined, 0); // at 1_025_000
    const events = f.collector.history.toArray();
    const h = histogram(events, 10);
    expect(h.stepMs).toBe(5_000);
    expect(h.buckets.map((b) => b.total)).toEqual([2, 1, 0, 0, 0, 1]);
    expect(h.buckets[1]!.worst).toBe('error');
    expect(h.buckets[0]!.worst).toBe('info');
    expect(barCell(h.buckets[2]!, h.max, 1, 2)).toBe('·');
    expect(barCell(h.buckets[0]!, h.max, 0, 2)).toBe('█');
    expect(barCell(h.buckets[1]!, h.max, 0, 2)).toBe(' ');
    expect(barCell(h.buckets[1]!, h.max, 1, 2)).toBe('█');
    // Enter on the second bucket: the cursor lands on its newest event (the error), 1 row above the newest.
    expect(cursorForTime(events, h.buckets[1]!.end)).toBe(1);
  });
});
