import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { eventColumns } from '../../../src/ui/panes/event-row.js';
import { truncate } from '../../../src/ui/text/plain.js';
import { replayRuntime, screen, type Screen } from '../../helpers/ui-screen.js';

// Drawn by the real App over a real runtime that replayed the fixture; the numbers on screen
// are compared with the runtime's status store (snapshot) at the same moment.

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

describe('events pane over a replayed fixture', () => {
  it('the events pane shows the history newest last, and filters by key:value and level', async () => {
    ({ rt } = await replayRuntime());
    const r = rt;
    s = screen(r, { cols: 100, rows: 30 });
    const history = r.recentEvents();
    await s.waitForFrame((t) => t.includes(`${history.length} shown`), 'the event count');
    const rows = s.lines().filter((l) => /^\d\d:\d\d:\d\d (TRACE|DEBUG|INFO |WARN |ERROR) /.test(l));
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.at(-1)).toContain(history.at(-1)!.type);
    expect(rows.at(-2)).toContain(history.at(-2)!.type);

    const ip = '192.0.2.10';
    const hasIp = history.filter((e) => String(e.data.remoteIp ?? e.span?.remoteIp ?? '').includes(ip));
    expect(hasIp.length).toBeGreaterThan(0);
    await s.press('/');
    for (const c of 'remote-ip:' + ip) await s.press(c);
    await s.press('\r');
    await s.waitForFrame((t) => t.includes(`${hasIp.length} shown`) && t.includes(`filter: remote-ip:${ip}`), 'the filtered count');
    const shown = s.lines().filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    expect(shown.length).toBe(Math.min(hasIp.length, rows.length));
    expect(shown.map((l) => l.split(/\s+/)[2])).toEqual(hasIp.slice(-shown.length).map((e) => truncate(e.type, eventColumns(100).name)));

    await s.press('/');
    await s.press('\x15'); // Ctrl-U clears
    await s.press('\r');
    for (let i = 0; i < 3; i++) await s.press('l');
    const warnUp = history.filter((e) => e.level === 'warn' || e.level === 'error');
    await s.waitForFrame((t) => t.includes(`${warnUp.length} shown level≥warn`), 'the level-filtered count');
    const levels = s.lines().filter((l) => /^\d\d:\d\d:\d\d /.test(l)).map((l) => l.split(/\s+/)[1]);
    expect(levels.length).toBe(warnUp.length);
    expect(new Set(levels)).toEqual(new Set(warnUp.map((e) => e.level.toUpperCase())));
  });

  it('s freezes the pane while ingestion goes on and counts what arrived; s again follows', async () => {
    ({ rt } = await replayRuntime());
    const r = rt;
    s = screen(r, { cols: 100, rows: 30 });
    await s.press('s');
    const frozen = await s.waitForFrame((t) => t.includes('FROZEN'), 'the frozen badge');
    const rowsBefore = frozen.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l));
    for (let i = 0; i < 3; i++) r.collector.ingest({ type: 'auth.success', data: { accountName: `new${i}` } });
    expect(r.snapshot().collector.events).toBe(53);
    const after = await s.waitForFrame((t) => t.includes('+3 new'), 'the +3 new badge');
    expect(after.split('\n').filter((l) => /^\d\d:\d\d:\d\d /.test(l))).toEqual(rowsBefore);
    await s.press('s');
    await s.waitForFrame((t) => t.includes('▼ live') && t.includes('accountName=new2'), 'following again');
  });
});
