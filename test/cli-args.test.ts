import { describe, expect, it } from 'vitest';
import { parseArgs, USAGE } from '../src/cli-args.js';

describe('usage text', () => {
  it('fits an 80-column terminal and names every option parseArgs accepts', () => {
    for (const line of USAGE.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    const flags = [...USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!);
    expect(flags.length).toBeGreaterThan(10);
    for (const f of flags) {
      const withValue = parseArgs([f, '1']);
      const alone = parseArgs([f]);
      // Each listed option is known: either form parses, or the error is about its value.
      const ok = typeof withValue !== 'string' || typeof alone !== 'string' || !/unknown/i.test(`${withValue} ${alone}`);
      expect(ok, `${f}: ${String(withValue)} / ${String(alone)}`).toBe(true);
    }
    expect(String(parseArgs(['--no-such-flag']))).toMatch(/--no-such-flag/);
  });
});
