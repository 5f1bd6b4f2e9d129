import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/runtime.js';
import { replayRuntime, screen, type Screen } from '../helpers/ui-screen.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

describe('small terminals', () => {
  for (const [cols, rows] of [
    [80, 24],
    [60, 20],
  ] as const) {
    it(`at ${cols}x${rows} the sinks column header stays and the footer keeps q and ?`, async () => {
      ({ rt } = await replayRuntime());
      s = screen(rt, { cols, rows });
      const text = await s.waitForFrame((t) => t.includes('Sinks'), 'the sinks pane');
      const lines = text.split('\n');
      const at = lines.findIndex((l) => /^ ?Sinks\b/.test(l.trim()) || l.includes('Sinks ─'));
      expect(lines[at + 1]).toMatch(/#\s+sink/);
      const footer = lines[lines.length - 1]!;
      expect(footer).toContain('? help');
      expect(footer).toContain('q quit');
      for (const l of lines) expect(l.length).toBeLessThanOrEqual(cols);
    });
  }

  it('the too-small message fits at 39x8, wrapped', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 39, rows: 8 });
    const text = await s.waitForFrame((t) => t.includes('too small'), 'the message');
    expect(text.replace(/\s+/g, ' ')).toContain('mailtel: terminal 39x8 is too small, need 40x12 (q quits)');
  });
});
