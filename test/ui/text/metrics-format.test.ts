import { describe, expect, it } from 'vitest';
import { BOUNDS } from '../../../src/metrics/defs.js';
import { millis, quantileBucket, quantileText, sizeText, unitValue } from '../../../src/ui/text/metrics-format.js';

describe('metrics formatting', () => {
  it('makes milliseconds readable', () => {
    expect(millis(0)).toBe('0 ms');
    expect(millis(0.5)).toBe('0.5 ms');
    expect(millis(850)).toBe('850 ms');
    expect(millis(1234)).toBe('1.2 s');
    expect(millis(3676)).toBe('3.7 s');
    expect(millis(60_000)).toBe('1 min');
    expect(millis(300_000)).toBe('5 min');
    expect(millis(5_400_000)).toBe('1.5 h');
    expect(millis(604_800_000)).toBe('7 d');
  });

  it('makes sizes readable in 1000 steps, as Stalwart\'s decimal size bounds', () => {
    expect(sizeText(500)).toBe('500 B');
    expect(sizeText(1000)).toBe('1 KB');
    expect(sizeText(18_734)).toBe('18.7 KB');
    expect(sizeText(5_000_000)).toBe('5 MB');
    expect(sizeText(500_000_000)).toBe('500 MB');
    expect(sizeText(1.5e9)).toBe('1.5 GB');
  });

  it('every bucket bound of the four sets reads as a round value', () => {
    expect(BOUNDS.size.map((b) => sizeText(b))).toEqual(['500 B', '1 KB', '10 KB', '100 KB', '1 MB', '5 MB', '10 MB', '25 MB', '50 MB', '100 MB', '500 MB']);
    expect(BOUNDS.short.map((b) => millis(b))).toEqual(['5 ms', '10 ms', '50 ms', '100 ms', '500 ms', '1 s', '2 s', '5 s', '10 s', '30 s', '1 min']);
    expect(BOUNDS.medium.map((b) => millis(b))).toEqual(['250 ms', '500 ms', '1 s', '5 s', '10 s', '1 min', '5 min', '10 min', '30 min', '1 h', '5 h']);
    expect(BOUNDS.long.map((b) => millis(b))).toEqual(['1 s', '30 s', '5 min', '10 min', '30 min', '1 h', '4 h', '8 h', '12 h', '1 d', '7 d']);
  });

  it('other units are exact counts with the unit', () => {
    expect(unitValue(1234, 'connections')).toBe('1,234 connections');
    expect(unitValue(2, 'messages')).toBe('2 messages');
    expect(unitValue(1, 'connections')).toBe('1 connection');
    expect(unitValue(1, 'messages')).toBe('1 message');
    expect(unitValue(0, 'users')).toBe('0 users');
    expect(unitValue(3_000_000, 'bytes')).toBe('3 MB');
    expect(unitValue(7, '')).toBe('7');
  });
});

describe('quantiles from bucket bounds', () => {
  const bounds = BOUNDS.medium;
  const h = (buckets: number[]) => ({ bounds, buckets, count: buckets.reduce((a, b) => a + b, 0) });

  it('picks the bucket where the running count reaches ceil(q·count)', () => {
    // 10 observations: 4 < 250 ms, 4 in [250, 500), 2 in [500, 1000)
    const ten = h([4, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(quantileBucket(ten, 0.4)).toBe(0);
    expect(quantileBucket(ten, 0.5)).toBe(1);
    expect(quantileBucket(ten, 0.8)).toBe(1);
    expect(quantileBucket(ten, 0.9)).toBe(2);
    expect(quantileText(ten, 0.5, 'milliseconds')).toBe('< 500 ms');
    expect(quantileText(ten, 0.9, 'milliseconds')).toBe('< 1 s');
  });

  it('one observation: p50 and p90 are its bucket; two: the upper one for p90', () => {
    const two = h([0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(quantileText(two, 0.5, 'milliseconds')).toBe('< 5 s');
    expect(quantileText(two, 0.9, 'milliseconds')).toBe('< 10 s');
    const one = h([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(quantileText(one, 0.5, 'milliseconds')).toBe('< 1 min');
    expect(quantileText(one, 0.9, 'milliseconds')).toBe('< 1 min');
  });

  it('the overflow bucket reads as at or above the last bound; an empty histogram as -', () => {
    const high = h([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9]);
    expect(quantileBucket(high, 0.5)).toBe(11);
    expect(quantileText(high, 0.5, 'milliseconds')).toBe('≥ 5 h');
    expect(quantileText({ bounds: BOUNDS.size, buckets: Array(12).fill(0), count: 0 }, 0.5, 'bytes')).toBe('-');
  });
});
