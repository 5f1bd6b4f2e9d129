import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS } from '../../../src/catalogue/index.js';
import type { Runtime } from '../../../src/runtime/runtime.js';
import type { Snapshot } from '../../../src/runtime/types.js';
import { count, exact, rate } from '../../../src/ui/text/format.js';
import { waitFor } from '../../helpers/wait.js';
import { expectShape, replayRuntime, screen, sinkRow, type Screen } from '../../helpers/ui-screen.js';

// Drawn by the real App over a real runtime that replayed the fixture; the numbers on screen
// are compared with the runtime's status store (snapshot) at the same moment.

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

const WARN_EVENT = EVENTS.find((e) => e.level === 'warn')!.name;

/** What row N of the sinks pane must read for the status store's sink `k`. */
function expectedRow(k: Snapshot['sinks'][number], i: number): string[] {
  return [
    String(i + 1),
    k.id,
    k.type,
    k.enabled ? 'on' : 'off',
    k.state,
    rate(k.rate1s),
    count(k.written),
    `${count(k.droppedIntentional)}/${count(k.droppedError)}`,
    count(k.queueDepth),
  ];
}

/**
 * Every sink row equals the status store. The frame and the snapshot are taken a few ms apart,
 * and a rate can change between them when a whole second turns over: compare again (frames
 * come every 20 ms) until one frame and one snapshot agree, and fail with the diff if none does.
 */
async function expectSinkRows(sc: Screen, r: Runtime): Promise<void> {
  const end = Date.now() + 2000;
  for (;;) {
    const rows = r.snapshot().sinks.map((k, i) => [sinkRow(sc.lines(), i + 1, k.id).slice(0, 9), expectedRow(k, i)]);
    if (rows.every(([got, want]) => JSON.stringify(got) === JSON.stringify(want)) || Date.now() > end) {
      for (const [got, want] of rows) expect(got).toEqual(want);
      return;
    }
    await new Promise((res) => setTimeout(res, 10));
  }
}

describe('header and sinks pane over a replayed fixture', () => {
  it('header and sinks pane show the status store numbers', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 100, rows: 30 });
    const snap = rt.snapshot();
    const text = await s.waitForFrame((t) => t.includes('finished'), 'the source state');
    expectShape(s, 100, 30);
    const [summary, source] = s.lines();
    expect(summary).toContain(`events ${exact(snap.collector.events)}`);
    expect(summary).toContain(`malformed ${count(snap.collector.malformed)}`);
    expect(snap.collector.malformed).toBe(2);
    expect(source).toMatch(new RegExp(`fixture +replay +finished +events ${snap.sources[0]!.events}\\b.*errors 2\\b`));
    expect(text).toContain(' # sink');
    expect(snap.sinks.map((k) => [k.id, k.written])).toEqual([['log', 50], ['warnings', 2]]);
    await expectSinkRows(s, rt);
  });

  it('a digit or Space toggles a sink in the runtime; the next frame and later numbers follow', async () => {
    ({ rt } = await replayRuntime());
    const r = rt;
    s = screen(r, { cols: 100, rows: 30 });
    await s.press('2');
    expect(r.snapshot().sinks[1]).toMatchObject({ id: 'warnings', enabled: false, state: 'disabled' });
    await s.waitForFrame((t) => /2 warnings +log +off +disabled/.test(t), 'sink 2 off');
    expect(s.text()).toContain('toggled sink warnings');

    r.collector.ingest({ type: WARN_EVENT, data: { details: 'while off' } });
    await r.idle();
    await waitFor(() => r.snapshot().sinks[0]!.written === 51, 5000, 'log sink written');
    expect(r.snapshot().sinks[1]).toMatchObject({ written: 2, skipped: 1 });
    await s.waitForFrame((t) => /1 log +log +on +ok +\S+ +51 /.test(t), 'log written 51');
    await expectSinkRows(s, r);

    await s.press('\t'); // focus the sinks pane
    await s.press('j'); // select sink 2
    await s.press(' ');
    expect(r.snapshot().sinks[1]!.enabled).toBe(true);
    await s.waitForFrame((t) => /2 warnings +log +on +ok/.test(t), 'sink 2 on');
    r.collector.ingest({ type: WARN_EVENT, data: { details: 'while on' } });
    await r.idle();
    await waitFor(() => r.snapshot().sinks[1]!.written === 3, 5000, 'warnings sink written');
    await s.waitForFrame((t) => /2 warnings +log +on +ok +\S+ +3 /.test(t), 'warnings written 3');
    await expectSinkRows(s, r);
  });

  it('a failing sink shows its error cut short in the row and in full in its detail view', async () => {
    ({ rt } = await replayRuntime(`[tracer.broken]\ntype = "log"\nlevel = "trace"\npath = "/dev/null/nowhere"\n`));
    const r = rt;
    await waitFor(() => r.snapshot().sinks[2]?.lastError !== undefined, 5000, 'the broken sink error');
    const k = r.snapshot().sinks[2]!;
    s = screen(r, { cols: 80, rows: 24 });
    await s.press('\t');
    await s.press('G');
    await s.waitForFrame((t) => t.includes('3 broken'), 'the broken sink row');
    const row = s.lines().find((l) => l.includes('3 broken'))!;
    expect(row).toContain(k.state);
    expect(row.endsWith('…')).toBe(true);
    expect(row).toContain(k.lastError!.message.slice(0, 6));
    await s.press('\r');
    const text = await s.waitForFrame((t) => t.includes(' Sink broken '), 'the sink detail');
    const joined = text.split('\n').map((l) => l.slice(22).trimEnd()).join(' ');
    expect(joined.replace(/\s+/g, ' ')).toContain(k.lastError!.message.replace(/\s+/g, ' '));
    expect(text).toMatch(/written +0\b/);
    expect(text).toMatch(new RegExp(`received +${exact(k.received)}\\b`));
  });
});
