import { afterEach, describe, expect, it } from 'vitest';
import { QUEUE_UP } from '../../../src/metrics/defs.js';
import type { HistogramValue, MetricsSnapshot } from '../../../src/metrics/types.js';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { exact } from '../../../src/ui/text/format.js';
import { unitValue } from '../../../src/ui/text/metrics-format.js';
import { sortedCounters } from '../../../src/ui/overlays/metrics-lines.js';
import { expectShape, replayRuntime, screen, type Screen } from '../../helpers/ui-screen.js';
import { waitFor } from '../../helpers/wait.js';

// The metrics view (M) drawn by the real App over a real runtime that replayed the fixture; the
// numbers on screen are compared with runtime.metricsSnapshot() at the same moment.

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});


/** Counter rows on screen, in screen order: [value, name]. */
function counterRows(lines: string[]): [number, string][] {
  const rows: [number, string][] = [];
  for (const l of lines) {
    const m = /^ {2,}([\d,]+) {2}(\S+) {2,}\S/.exec(l);
    if (m) rows.push([Number(m[1]!.replace(/,/g, '')), m[2]!]);
  }
  return rows;
}

/** The cells of the row that starts with `name` (columns are separated by two spaces or more). */
function row(lines: string[], name: string): string[] {
  const l = lines.find((x) => x.startsWith(`  ${name}  `));
  if (!l) throw new Error(`no row for ${name} in:\n${lines.join('\n')}`);
  return l.trim().split(/ {2,}/);
}

/** The median's bucket computed here from the snapshot, independently of the view's code. */
function p50(h: HistogramValue): number {
  let seen = 0;
  for (let i = 0; i < h.buckets.length; i++) if ((seen += h.buckets[i]!) >= Math.ceil(h.count / 2)) return h.bounds[i]!;
  return Infinity;
}

function expectCounters(lines: string[], m: MetricsSnapshot): void {
  const shown = counterRows(lines);
  expect(shown).toEqual(sortedCounters(m.counters).map((c) => [c.value, c.name]));
  for (let i = 1; i < shown.length; i++) expect(shown[i - 1]![0]).toBeGreaterThanOrEqual(shown[i]![0]);
}

describe('metrics view over a replayed fixture', () => {
  it('M shows every non-zero counter, gauge and histogram with the numbers of metricsSnapshot()', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 200, rows: 60 });
    await s.press('M');
    const text = await s.waitForFrame((t) => t.includes('Histograms ('), 'the metrics view');
    expectShape(s, 200, 60);
    expect(text).toContain(' Metrics since start ');
    const m = rt.metricsSnapshot();
    const lines = s.lines();
    expect(m.counters).toHaveLength(16);
    expect(text).toContain('Counters (16 non-zero)');
    expect(text).toContain(`${exact(m.counters.reduce((n, c) => n + c.value, 0))} events counted since start`);
    expectCounters(lines, m);
    expect(counterRows(lines)[0]).toEqual([3, 'auth.success']);

    for (const g of m.gauges) expect(row(lines, g.name).slice(0, 2)).toEqual([g.name, `${g.value} ${g.unit}`]);
    expect(row(lines, 'queue.count')).toEqual(['queue.count', '2 messages', 'Total number of messages in the queue']);

    // (the fixture's delivery.mx-lookup is not a metric event: dns.lookup-time stays empty, docs/stalwart.md §0)
    expect(m.histograms.map((h) => h.name)).toEqual(['message-ingest.time', 'message.size', 'message.authenticated-size', 'smtp.request-time', 'delivery.attempt-time', 'imap.request-time', 'http.request-time']);
    for (const h of m.histograms) {
      const u = (v: number) => unitValue(v, h.unit);
      expect(row(lines, h.name)).toEqual([h.name, exact(h.count), u(h.sum / h.count), u(h.min!), u(h.max!), `< ${u(p50(h))}`, expect.any(String), h.description]);
    }
    // Two connections of 2,240 and 5,112 ms: buckets < 5 s and < 10 s.
    expect(row(lines, 'smtp.request-time')).toEqual(['smtp.request-time', '2', '3.7 s', '2.2 s', '5.1 s', '< 5 s', '< 10 s', 'SMTP request duration']);
    // One message of 18,734 bytes.
    expect(row(lines, 'message.size')).toEqual(['message.size', '1', '18.7 KB', '18.7 KB', '18.7 KB', '< 100 KB', '< 100 KB', 'Received message size']);
    expect(text).toContain('Esc close  j/k scroll  PgUp/Dn page  g/G ends  v since opened');

    await s.press('\x1b');
    await s.waitForFrame((t) => t.includes(' Sinks '), 'the panes again');
  });

  it('v switches to since the console opened: empty right after markMetrics, then grows with new events', async () => {
    ({ rt } = await replayRuntime());
    const r = rt;
    const before = r.metricsSnapshot();
    r.markMetrics(); // as runConsole does when the screen opens
    s = screen(r, { cols: 120, rows: 40 });
    await s.press('M');
    await s.press('v');
    let text = await s.waitForFrame((t) => t.includes(' Metrics since the console opened '), 'the since-opened view');
    expect(r.metricsSnapshot('since-mark').counters).toEqual([]);
    expect(text).toContain('Counters (0 non-zero)');
    expect(text).toContain('no counted event since the console opened');
    expect(text).toContain('no observation since the console opened');
    expect(text).toContain('v: since start');
    expect(text).toContain('metrics since the console opened'); // the status line
    expect(row(s.lines(), 'queue.count')[1]).toBe('2 messages'); // gauges are current values in both views

    // New traffic: the fixture's top counter three more times, and two queued messages of 2 KB.
    const top = sortedCounters(before.counters)[0]!;
    const queued = QUEUE_UP[0];
    for (let i = 0; i < 3; i++) r.collector.ingest({ type: top.name, data: {} });
    for (let i = 0; i < 2; i++) r.collector.ingest({ type: queued, data: { size: 2000 } });
    text = await s.waitForFrame((t) => t.includes('Counters (2 non-zero)'), 'the new counts');
    const since = r.metricsSnapshot('since-mark');
    expect(sortedCounters(since.counters).map((c) => [c.name, c.value])).toEqual([
      [top.name, 3],
      [queued, 2],
    ]);
    expectCounters(s.lines(), since);
    expect(text).toContain('5 events counted since the console opened');
    expect(row(s.lines(), 'message.size').slice(0, 7)).toEqual(['message.size', '2', '2 KB', '2 KB', '18.7 KB', '< 10 KB', '< 10 KB']);
    expect(row(s.lines(), 'queue.count')[1]).toBe('4 messages');

    await s.press('v');
    text = await s.waitForFrame((t) => t.includes(' Metrics since start '), 'back to since start');
    const total = r.metricsSnapshot();
    expect(total.counters.find((c) => c.name === top.name)!.value).toBe(top.value + 3);
    expectCounters(s.lines(), total);
    expect(counterRows(s.lines())[0]).toEqual([top.value + 3, top.name]);
    expect(row(s.lines(), 'message.size').slice(0, 2)).toEqual(['message.size', '3']);
  });

  it('fits 80x24, 120x40 and 200x60 without wrapping, and scrolls with j/k, PgUp/PgDn, g/G', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 80, rows: 24 });
    await s.press('M');
    await s.waitForFrame((t) => t.includes('Counters ('), 'the metrics view');
    expectShape(s, 80, 24);
    const total = /lines 1-(\d+) of (\d+)/.exec(s.text());
    expect(total, s.text()).not.toBeNull();
    const [page, n] = [Number(total![1]), Number(total![2])];
    expect(n).toBeGreaterThan(page);
    await s.press('j');
    await s.waitForFrame((t) => t.includes(`lines 2-${page + 1} of ${n}`), 'one line down');
    await s.press('\x1b[6~'); // PgDn
    await s.waitForFrame((t) => t.includes(`lines ${page + 1}-`), 'a page down');
    await s.press('G');
    const bottom = await s.waitForFrame((t) => t.includes(`-${n} of ${n}`), 'the end');
    const last = rt.metricsSnapshot().histograms.at(-1)!;
    expect(bottom).toContain(`${last.name.slice(0, 10)}`);
    await s.press('g');
    await s.waitForFrame((t) => t.includes(`lines 1-${page} of ${n}`), 'the top');
    await s.press('k');
    expect(s.text()).toContain(`lines 1-${page} of ${n}`);
    expectShape(s, 80, 24);

    for (const [c, r] of [
      [120, 40],
      [200, 60],
    ] as const) {
      s.terminal.resize(c, r);
      await s.waitForFrame((t) => t.split('\n').length === r && t.includes('Counters ('), `${c}x${r}`);
      expectShape(s, c, r);
    }
  });

  it('samples metricsSnapshot() with the frames only while the view is open', async () => {
    ({ rt } = await replayRuntime());
    const r = rt;
    let metricsCalls = 0;
    let frames = 0;
    const metricsSnapshot = r.metricsSnapshot.bind(r);
    const snapshot = r.snapshot.bind(r);
    r.metricsSnapshot = (v) => (metricsCalls++, metricsSnapshot(v));
    r.snapshot = () => (frames++, snapshot());
    s = screen(r, { cols: 120, rows: 40, fps: 50 });
    await waitFor(() => frames >= 5, 5000, 'five frames');
    expect(metricsCalls).toBe(0);

    const framesAtOpen = frames;
    await s.press('M');
    await s.waitForFrame((t) => t.includes('Counters ('), 'the metrics view');
    for (const k of ['j', 'j', 'k', 'j', 'G', 'g']) await s.press(k); // scrolling reuses the frame's sample
    await waitFor(() => frames >= framesAtOpen + 5, 5000, 'five more frames');
    expect(metricsCalls).toBeGreaterThanOrEqual(5);
    expect(metricsCalls).toBeLessThanOrEqual(frames - framesAtOpen + 1); // one when it opened, then one per frame

    await s.press('\x1b');
    await s.waitForFrame((t) => t.includes(' Sinks '), 'closed');
    const closedAt = metricsCalls;
    const framesAtClose = frames;
    await waitFor(() => frames >= framesAtClose + 5, 5000, 'five frames closed');
    expect(metricsCalls).toBe(closedAt);
  });

  it('the help overlay lists M and v', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 120, rows: 40 });
    await s.press('?');
    const text = await s.waitForFrame((t) => t.includes(' Help '), 'help');
    expect(text).toMatch(/ M {2,}metrics: Stalwart's counters, gauges and histograms/);
    expect(text).toMatch(/ v {2,}in the metrics view: since start \/ since the console opened/);
  });
});
