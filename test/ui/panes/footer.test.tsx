import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { statusSegs } from '../../../src/ui/panes/footer.js';
import { stripSgr } from '../../../src/ui/text/styled.js';
import { initialState } from '../../../src/ui/view/state.js';
import { replayRuntime, screen, type Screen } from '../../helpers/ui-screen.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

describe('status line', () => {
  it('the console tracer writes into the screen: its newest line on the status line, all of them under m', async () => {
    ({ rt } = await replayRuntime(`[tracer.console]\ntype = "console"\nlevel = "warn"\n`));
    const snap = rt.snapshot();
    const lines = snap.consoleLines ?? [];
    const warnUp = rt.recentEvents().filter((e) => e.level === 'warn' || e.level === 'error');
    expect(lines).toHaveLength(warnUp.length);
    expect(stripSgr(lines.at(-1)!)).toContain(`(${warnUp.at(-1)!.type})`);
    // Fresh runtime messages (the malformed lines) win; ten seconds later the console line shows.
    const later = statusSegs(initialState, { ...snap, at: snap.messages.at(-1)!.at + 11_000 }).map(([t]) => t).join('');
    expect(later).toBe(` console: ${stripSgr(lines.at(-1)!)}`);
    expect(statusSegs(initialState, snap).map(([t]) => t).join('')).toContain('small.ndjson:37');
    s = screen(rt, { cols: 200, rows: 60 });
    await s.press('m');
    const text = await s.waitForFrame((t) => t.includes(`Console tracer output (${lines.length} lines kept)`), 'the console section');
    for (const l of lines) expect(text).toContain(stripSgr(l).slice(0, 150));
  });
});
