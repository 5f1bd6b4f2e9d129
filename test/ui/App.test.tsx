import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/runtime/runtime.js';
import { expectShape, replayRuntime, screen, type Screen } from '../helpers/ui-screen.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

describe('App: sizes and quitting', () => {
  it('fits every size from 80x24 to 200x60, follows resizes, and splits OTLP | webhooks when wide', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 80, rows: 24 });
    await s.waitForFrame((t) => t.split('\n').length === 24, '24 lines');
    expectShape(s, 80, 24);
    for (const [c, r] of [[120, 40], [200, 60], [100, 30], [80, 24]] as const) {
      s.terminal.resize(c, r);
      await s.waitForFrame((t) => t.split('\n').length === r, `${r} lines`);
      expectShape(s, c, r);
      const split = s.lines().some((l) => /^ OTLP metrics .* Webhooks /.test(l));
      expect(split, `${c}x${r}`).toBe(c >= 120);
    }
  });

  it('q asks for the graceful stop once and shows it', async () => {
    ({ rt } = await replayRuntime());
    const sc = (s = screen(rt, { cols: 80, rows: 24 }));
    await sc.press('q');
    await sc.waitForFrame((t) => t.includes('stopping: flushing sinks…'), 'the stopping line');
    await sc.press('q');
    expect(sc.quits).toBe(1);
  });
});
