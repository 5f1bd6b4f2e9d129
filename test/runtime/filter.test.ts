import { describe, expect, it } from 'vitest';
import { EVENTS } from '../../src/catalogue/index.js';
import { parsePattern, type Pattern } from '../../src/catalogue/patterns.js';
import { isEvent } from '../../src/catalogue/index.js';
import { makeFilter } from '../../src/runtime/filter.js';

const pat = (t: string) => parsePattern(t, isEvent) as Pattern;

describe('filter', () => {
  it('applies exclude lists, wildcards, own error event and level exactly as docs/stalwart.md §1', () => {
    const f = makeFilter({ policy: 'exclude', patterns: [pat('*-error'), pat('smtp.*')] }, 'info', 'telemetry.log-error');
    const passing = EVENTS.filter((e) => f(e.name, e.level)).map((e) => e.name);
    const expected = EVENTS.filter(
      (e) => ['info', 'warn', 'error'].includes(e.level) && !e.name.endsWith('-error') && !e.name.startsWith('smtp.'),
    ).map((e) => e.name);
    expect(passing).toEqual(expected);
    expect(passing.length).toBeGreaterThan(200);
    const own = makeFilter({ policy: 'exclude', patterns: [] }, 'trace', 'telemetry.log-error');
    expect(own('telemetry.log-error', 'warn')).toBe(false);
    expect(own('telemetry.webhook-error', 'warn')).toBe(true);
    expect(makeFilter({ policy: 'exclude', patterns: [] }, 'disable')('auth.failed', 'error')).toBe(false);
  });
});
