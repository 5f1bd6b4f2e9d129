import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { nextSort, reverseSort, sortLabel, sortRows } from '../../../src/ui/view/table-sort.js';
import { replayRuntime, screen, sinkRow, type Screen } from '../../helpers/ui-screen.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

describe('one sort habit for every table', () => {
  it('sorts a copy by the column, numbers largest first, text A→Z, ties in order; O reverses', () => {
    const cols = [
      { name: 'name', value: (r: [string, number]) => r[0] },
      { name: 'n', value: (r: [string, number]) => r[1], desc: true },
    ];
    const rows: [string, number][] = [['b', 1], ['a', 3], ['c', 3]];
    let st = { col: 0, desc: false };
    expect(sortRows(rows, cols, st).map((r) => r[0])).toEqual(['a', 'b', 'c']);
    st = nextSort(st, 2);
    expect(sortRows(rows, cols, st).map((r) => r[0])).toEqual(['a', 'c', 'b']);
    expect(sortLabel(cols, st)).toBe('sorted by n ▼');
    st = reverseSort(st);
    expect(sortRows(rows, cols, st).map((r) => r[0])).toEqual(['b', 'a', 'c']);
    expect(nextSort(st, 2)).toEqual({ col: 0, desc: false });
    expect(rows[0]![0]).toBe('b');
  });

  it('the sinks pane and the metrics view sort with the same keys; sink numbers stay', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 100, rows: 30 });
    await s.waitForFrame((t) => t.includes('Sinks'), 'first frame');
    const order = () => s!.lines().filter((l) => /^\s*\d (log|warnings)\b/.test(l)).map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '));
    expect(order()).toEqual(['1 log', '2 warnings']);
    await s.press('\t');
    for (let i = 0; i < 4; i++) await s.press('o');
    await s.waitForFrame((t) => t.includes('sinks sorted by written'), 'by written');
    expect(order()).toEqual(['1 log', '2 warnings']);
    await s.press('O');
    await s.waitForFrame((t) => t.includes('sinks sorted by written, reversed'), 'reversed');
    expect(order()).toEqual(['2 warnings', '1 log']);
    expect(sinkRow(s.lines(), 2, 'warnings')[0]).toBe('2');
    // Space toggles the sink under the cursor (the first row shown: warnings), not sink 1.
    await s.press(' ');
    await s.waitForFrame(() => rt!.snapshot().sinks[1]!.enabled === false, 'warnings switched off');
    expect(rt.snapshot().sinks[0]!.enabled).toBe(true);
    await s.press('M');
    await s.waitForFrame((t) => t.includes('largest first'), 'metrics by value');
    await s.press('o');
    await s.waitForFrame((t) => t.includes('sorted by counter ▲'), 'metrics by name');
  });
});
