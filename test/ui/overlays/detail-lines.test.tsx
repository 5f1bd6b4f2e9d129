import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
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

describe('event detail and runtime messages over a replayed fixture', () => {
  it('Enter opens the selected event with every key and the other events of its span', async () => {
    ({ rt } = await replayRuntime());
    const r = rt;
    s = screen(r, { cols: 100, rows: 40 });
    const ehlo = r.recentEvents().filter((e) => e.type === 'smtp.ehlo').at(-1)!; // the newest is selected
    const span = r.spanEvents(ehlo.spanId!);
    expect(span.length).toBeGreaterThan(2);
    await s.press('/');
    for (const c of 'smtp.ehlo') await s.press(c);
    await s.press('\r');
    await s.press('\r');
    const text = await s.waitForFrame((t) => t.includes(' Event smtp.ehlo '), 'the event detail');
    expect(text).toContain(`spanId              ${ehlo.spanId}`);
    expect(text).toContain(`domain              "${ehlo.data.domain}"`);
    expect(text).toContain(`remoteIp            "${ehlo.span!.remoteIp}"`);
    expect(text).toContain(`Events of span ${ehlo.spanId} still in the history (${span.length})`);
    for (const e of span) expect(text).toContain(e.type.slice(0, 24));
    expect(text).toMatch(/▶ \d\d:\d\d:\d\d INFO  smtp\.ehlo/);
    await s.press('\x1b');
    await s.waitForFrame((t) => !t.includes(' Event smtp.ehlo ') && t.includes(' Sinks '), 'the panes again');
  });

  it('m shows the runtime messages: the two malformed lines of the fixture', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 100, rows: 30 });
    await s.press('m');
    const n = rt.snapshot().messages.length;
    const text = await s.waitForFrame((t) => t.includes(`Runtime messages (${n}, newest last)`), 'the messages overlay');
    expect(text).toContain('small.ndjson:14');
    expect(text).toContain('small.ndjson:37');
  });
});
