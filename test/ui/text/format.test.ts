import { describe, expect, it } from 'vitest';
import { count, countdown, duration, exact, rate, sparkline, uptime, clock } from '../../../src/ui/text/format.js';

describe('format', () => {
  it('formats counts, rates and durations', () => {
    expect(exact(1234567)).toBe('1,234,567');
    expect(count(99_999)).toBe('99,999');
    expect(count(123_456)).toBe('123.5k');
    expect(count(12_345_678)).toBe('12.35M');
    expect(count(2_500_000_000)).toBe('2.50G');
    expect(rate(0)).toBe('0');
    expect(rate(2.5)).toBe('2.5');
    expect(rate(250.4)).toBe('250');
    expect(rate(50_000)).toBe('50.0k');
    expect(duration(850)).toBe('850ms');
    expect(duration(12_300)).toBe('12.3s');
    expect(duration(312_000)).toBe('5m12s');
    expect(duration(7_500_000)).toBe('2h05m');
    expect(uptime(3_723_000)).toBe('01:02:03');
    expect(uptime(90_061_000)).toBe('1d 01:01:01');
    expect(clock(Date.UTC(2025, 5, 15, 18, 2, 57))).toBe('18:02:57');
    expect(countdown(undefined, 0)).toBeUndefined();
    expect(countdown(10_000, 9_000)).toBe('in 1s');
    expect(countdown(10_000, 10_500)).toBe('now');
  });

  it('draws a sparkline scaled to its maximum, zero as the lowest bar', () => {
    expect(sparkline([0, 1, 2, 4, 8], 5)).toBe('▁▂▃▅█');
    expect(sparkline([0, 0], 4)).toBe('  ▁▁');
    expect(sparkline([5, 0, 5, 5, 5, 5, 5, 5], 3)).toBe('███');
    expect(sparkline([1, 1000], 2)).toBe('▂█');
  });
});
