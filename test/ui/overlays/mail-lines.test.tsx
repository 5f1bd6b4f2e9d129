import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { mailFixture } from '../../helpers/mail-fixture.js';
import { expectShape, replayRuntime, screen, type Screen } from '../../helpers/ui-screen.js';

let fixture = '';
let rt: Runtime | undefined;
let s: Screen | undefined;
beforeAll(async () => {
  fixture = await mailFixture();
});
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

async function open(cols = 100, rows = 30, opts = {}): Promise<Screen> {
  ({ rt } = await replayRuntime('', fixture));
  s = screen(rt, { cols, rows, ...opts });
  await s.waitForFrame((t) => t.includes('Events'), 'the first frame');
  return s;
}

/** The row drawn in the theme's `selected` style (dark: bright white on blue). */
const selectedRow = (sc: Screen) => sc.raw().split('\n').find((l) => l.includes('\x1b[44m'));

describe('mail views over a replayed capture', () => {
  it('D: the domains table, sorted with o/O, filtered with /, Enter opens the domain trails, then a trail, then an event', async () => {
    const sc = await open();
    await sc.press('D');
    let t = await sc.waitForFrame((x) => x.includes('Delivery health per destination domain') && x.includes('lists.example.org'), 'the domains table');
    expect(t).toContain('sorted by failed ▼');
    const row = sc.lines().find((l) => l.includes('lists.example.org'))!;
    const [, att, deliv, defer] = row.trim().split(/\s+/).map(Number);
    expect(att).toBeGreaterThan(0);
    expect(deliv! + defer!).toBeGreaterThan(0);
    await sc.press('o');
    await sc.waitForFrame((x) => x.includes('sorted by waiting ▼'), 'sorted by the next column');
    await sc.press('O');
    await sc.waitForFrame((x) => x.includes('sorted by waiting ▲'), 'reversed');
    for (let i = 0; i < 4; i++) await sc.press('o'); // next retry, TLS, last reply... wraps to domain
    await sc.press('O');
    t = await sc.waitForFrame((x) => x.includes('sorted by domain ▼'), 'by domain, reversed');
    const domains = sc.lines().filter((l) => /^\s+\S+\.(example|org|net)\S*\s+\d/.test(l)).map((l) => l.trim().split(/\s+/)[0]!);
    expect(domains).toEqual([...domains].sort().reverse());
    await sc.press('/');
    for (const c of 'lists') await sc.press(c);
    await sc.press('\r');
    t = await sc.waitForFrame((x) => x.includes('1 destination domains'), 'filtered to one domain');
    expect(t).toContain('lists.example.org');
    await sc.press('\r');
    await sc.waitForFrame((x) => x.includes('Recent trails to lists.example.org') && /\d{6,}\s+(delivered|deferred|failed|partial|queued)/.test(x), "the domain's trails");
    await sc.press('\r');
    t = await sc.waitForFrame((x) => x.includes('Trail of message') && x.includes('delivery attempt 1'), 'a trail');
    expect(t).toMatch(/state (DELIVERED|DEFERRED|FAILED|PARTIAL|QUEUED)/);
    expect(t).toContain('the index keeps the last 5,000 messages');
    await sc.press('\r');
    await sc.waitForFrame((x) => x.includes('Event ') && x.includes('Keys ('), 'the event detail of the first step');
    await sc.press('\x1b');
    await sc.waitForFrame((x) => x.includes('Trail of message'), 'Esc goes back to the trail');
    expectShape(sc, 100, 30);
  });

  it('t on an event with a queueId opens its trail; the inbound session is linked through its span', async () => {
    const sc = await open(80, 24);
    await sc.press('/');
    for (const c of 'queue.queue-message-auth') await sc.press(c);
    await sc.press('\r');
    await sc.waitForFrame((x) => x.includes('queue.queue-message-auth') && !x.includes('delivery.'), 'only queued submissions');
    await sc.press('t');
    const t = await sc.waitForFrame((x) => x.includes('Trail of message'), 'the trail');
    expect(t).toContain('inbound session from');
    expect(t).toContain('smtp.connection-start');
    expect(t).toContain('auth.success');
    expectShape(sc, 80, 24);
    expect(selectedRow(sc), sc.raw()).toContain('smtp.connection-start');
  });

  it('T finds messages by address; A shows the security counts and the IPs behind them', async () => {
    const sc = await open();
    await sc.press('T');
    for (const c of 'shop.example') await sc.press(c);
    let t = await sc.waitForFrame((x) => x.includes('Find a message trail') && /\d+ messages/.test(x) && x.includes('shop.example'), 'search results');
    const n = Number(/(\d+) messages;/.exec(t)![1]);
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < 12; i++) await sc.press('\x7f');
    for (const c of 'nobody@nowhere') await sc.press(c);
    await sc.waitForFrame((x) => x.includes('0 messages;'), 'no match');
    await sc.press('\r');
    await sc.press('\x1b');
    await sc.waitForFrame((x) => !x.includes('Find a message trail'), 'closed');
    await sc.press('A');
    t = await sc.waitForFrame((x) => x.includes('Security') && x.includes('Top remote IPs'), 'the security panel');
    const auth = sc.lines().find((l) => l.includes('auth failures'))!;
    expect(Number(auth.trim().split(/\s+/).at(-2))).toBeGreaterThan(0);
    expect(t).toMatch(/Top remote IPs[^\n]*\n\s+\d+\s+[\d.:a-f]+/);
    expect(t).toContain('baseline');
  });

  it('H: the histogram over the events pane; ← and Enter jump the list to that time', async () => {
    const sc = await open(100, 30);
    await sc.press('H');
    let t = await sc.waitForFrame((x) => x.includes('one column per'), 'the histogram');
    expect(t).toMatch(/06:00:00 → 06:01:1\d, one column per 1s/);
    await sc.press('\x1b[D');
    for (let i = 0; i < 30; i++) await sc.press('\x1b[D');
    t = await sc.waitForFrame((x) => /06:00:\d\d–06:00:\d\d {2}\d+ events/.test(x), 'a bucket under the cursor');
    const at = /(06:00:\d\d)–/.exec(t)![1]!;
    await sc.press('\r');
    t = await sc.waitForFrame((x) => x.includes('FROZEN'), 'the list jumped (and froze)');
    const rows = sc.lines().filter((l) => /^06:0\d:\d\d /.test(l));
    expect(rows.some((l) => l.startsWith(at))).toBe(true);
  });

  it('--read-only: the header says so and the sink keys are refused', async () => {
    const sc = await open(100, 30, { marks: { readOnly: true, host: 'relay-1', banner: 'PRODUCTION' } });
    const t = await sc.waitForFrame((x) => x.includes('READ-ONLY'), 'the badge');
    expect(t).toContain(' PRODUCTION ');
    expect(t).toContain('@relay-1');
    await sc.press('1');
    await sc.waitForFrame((x) => x.includes('read-only: sink toggles'), 'refused');
    expect(rt!.snapshot().sinks[0]!.enabled).toBe(true);
  });
});
