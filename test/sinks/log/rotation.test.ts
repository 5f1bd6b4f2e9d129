import { describe, expect, it } from 'vitest';
import { logFileName, nextBoundary } from '../../../src/sinks/log/rotation.js';

describe('log file names and boundaries', () => {
  it('names each mode in UTC, zero-padded', () => {
    const s = Date.parse('2025-06-05T08:02:57Z') / 1000;
    expect(logFileName('stalwart', 'daily', s)).toBe('stalwart.2025-06-05');
    expect(logFileName('stalwart', 'hourly', s)).toBe('stalwart.2025-06-05T08');
    expect(logFileName('stalwart', 'minutely', s)).toBe('stalwart.2025-06-05T08:02');
    expect(logFileName('mail', 'never', s)).toBe('mail');
    expect(nextBoundary('daily', s)).toBe(Date.parse('2025-06-06T00:00:00Z') / 1000);
    expect(nextBoundary('hourly', s)).toBe(Date.parse('2025-06-05T09:00:00Z') / 1000);
    expect(nextBoundary('minutely', s)).toBe(Date.parse('2025-06-05T08:03:00Z') / 1000);
    expect(nextBoundary('never', s)).toBe(Infinity);
  });
});
