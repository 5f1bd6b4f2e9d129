import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { footerSegs, statusSegs } from '../../../src/ui/panes/footer.js';
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

describe('footer hints', () => {
  const text = (segs: ReturnType<typeof footerSegs>) => segs.map(([t]) => t).join('');
  const open = (overlay: Record<string, unknown>) => ({ ...initialState, overlay } as unknown as typeof initialState);

  it("each mail view lists its own keys, and ? and q survive a 60-column footer", () => {
    const views = {
      trail: { kind: 'trail', queueId: 'q1', cursor: 0, scroll: 0 },
      trails: { kind: 'trails', query: '', cursor: 0, scroll: 0 },
      domains: { kind: 'domains', query: '', cursor: 0, scroll: 0 },
      security: { kind: 'security', cursor: 0, scroll: 0 },
    };
    expect(text(footerSegs(open(views.trail)))).toContain('Enter event details');
    expect(text(footerSegs(open(views.trails)))).toContain('Enter open trail');
    expect(text(footerSegs(open(views.domains)))).toMatch(/o sort .*O reverse .*\/ filter/);
    expect(text(footerSegs(open(views.security)))).toMatch(/Enter trails .*o sort .*O reverse/);
    expect(text(footerSegs(open(views.security)))).not.toContain('/ filter');
    for (const o of Object.values(views)) {
      const narrow = text(footerSegs(open(o), 60));
      expect(narrow.length).toBeLessThanOrEqual(60);
      expect(narrow).toContain('? help');
      expect(narrow).toContain('q quit');
    }
  });
});
