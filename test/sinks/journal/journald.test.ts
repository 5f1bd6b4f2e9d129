import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventInfo } from '../../../src/catalogue/index.js';
import type { EventData, TelemetryEvent } from '../../../src/runtime/event.js';
import { journalProblem } from '../../../src/sinks/journal/availability.js';
import { loadLibc, loadLibcWith } from '../../../src/sinks/journal/libc.js';
import { JournalSink } from '../../../src/sinks/journal/sink.js';
import { JournalSocket } from '../../../src/sinks/journal/socket.js';
import { fieldText, Journald, journaldUnavailable, type JournalEntry } from '../../helpers/journald.js';

// The journal sink against a real systemd-journald in a private namespace, read back with
// `journalctl --namespace=<ns> -o json --all`.

const unavailable = journaldUnavailable();
if (unavailable) console.warn(`journald tests skipped: ${unavailable}`);

let seq = 0;
function event(type: string, data: EventData, spanId?: string): TelemetryEvent {
  const info = eventInfo(type)!;
  expect(info, type).toBeDefined();
  const ev: TelemetryEvent = { seq: ++seq, type, level: info.level, createdAt: Date.now(), data, text: info.description };
  if (spanId !== undefined) ev.spanId = spanId;
  return ev;
}

/** `n` distinct events: each carries its number in `id`, so the journal can be checked one by one. */
function numbered(n: number, from = 0): TelemetryEvent[] {
  const out: TelemetryEvent[] = [];
  for (let i = from; i < from + n; i++) out.push(event('smtp.ehlo', { id: `n${i}`, domain: `mx${i}.example.org`, remoteIp: '192.0.2.10' }, String(1000 + i)));
  return out;
}

/** The journald priority Stalwart gives an event's catalogue level. */
function prio(type: string): string {
  return String({ error: 3, warn: 4, info: 5, debug: 6, trace: 7 }[eventInfo(type)!.level]);
}

function ids(entries: JournalEntry[]): string[] {
  return entries.map((e) => fieldText(e.ID)!).filter((x) => x !== undefined);
}

describe.skipIf(unavailable !== undefined)('journal sink with a real systemd-journald', () => {
  let jd: Journald;
  beforeAll(async () => {
    jd = new Journald();
    await jd.start();
  });
  afterAll(async () => {
    await jd?.cleanup();
  });

  it('delivers every event once with priority, message, identifier and key fields; multi-line values intact', async () => {
    const ident = `mt-fields-${process.pid}`;
    const sink = new JournalSink({ id: 'j', socket: jd.socket, identifier: ident });
    expect(await sink.start()).toEqual({ ok: true });
    const batch = [
      event('smtp.ehlo', { domain: 'mx1.example.org', listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.10', elapsed: 41 }, '7236145239785423817'),
      event('delivery.attempt-start', { to: ['a@example.org', 'b@example.org'], due: '2025-06-15T18:02:57Z', code: null }),
      event('smtp.ehlo', { domain: 'first line\nsecond line\n\nfourth\ttabbed "quoted"' }),
      event('telemetry.log-error', { details: 'Failed to write event to log', reason: 'disk full' }),
    ];
    expect(await sink.write(batch)).toEqual({ ok: true });
    const got = await jd.entries(ident, batch.length);
    expect(got).toHaveLength(4);
    const [a, b, c, d] = got;
    expect(a).toMatchObject({
      PRIORITY: '5',
      SYSLOG_IDENTIFIER: ident,
      MESSAGE: eventInfo('smtp.ehlo')!.description,
      SPANID: '7236145239785423817',
      DOMAIN: 'mx1.example.org',
      LISTENERID: 'smtp',
      LOCALPORT: '25',
      REMOTEIP: '192.0.2.10',
      ELAPSED: '41',
    });
    expect(b).toMatchObject({ PRIORITY: prio('delivery.attempt-start'), TO: '[a@example.org, b@example.org]', DUE: '1750010577', CODE: '(null)' });
    expect(fieldText(c!.DOMAIN)).toBe('first line\nsecond line\n\nfourth\ttabbed "quoted"');
    expect(d).toMatchObject({ PRIORITY: prio('telemetry.log-error'), DETAILS: 'Failed to write event to log', REASON: 'disk full' });
    expect(sink.details()).toMatchObject({ sent: 4, lost: 0, memfd: 0 });
    await sink.close();
  });

  it('sends an entry too large for one datagram through a sealed memfd, intact', async () => {
    const ident = `mt-large-${process.pid}`;
    const sink = new JournalSink({ id: 'j', socket: jd.socket, identifier: ident });
    const big = 'line of a large message body\n'.repeat(20_000); // 580 kB, past the 208 kB datagram limit
    expect(await sink.write([event('smtp.ehlo', { domain: 'small.example.org' }), event('smtp.ehlo', { domain: big })])).toEqual({ ok: true });
    const got = await jd.entries(ident, 2);
    expect(got.map((e) => fieldText(e.DOMAIN)!.length)).toEqual(['small.example.org'.length, big.length]);
    expect(fieldText(got[1]!.DOMAIN)).toBe(big);
    expect(sink.details()).toMatchObject({ sent: 2, memfd: 1, lost: 0 });
    await sink.close();
  });

  it('checks the socket at start like Stalwart: a missing socket or no listener is the failing reason', async () => {
    const missing = new JournalSink({ id: 'j', socket: `/run/systemd/journal.none-${process.pid}/socket`, identifier: 'x' });
    const r = await missing.start();
    expect(r).toMatchObject({ ok: false, retry: false });
    expect(!r.ok && r.error).toMatch(/no journald listens at \/run\/systemd\/journal\.none-\d+\/socket \(ENOENT\)/);
    const long = new JournalSink({ id: 'j', socket: '/tmp/' + 'x'.repeat(120), identifier: 'x' });
    const l = await long.start();
    expect(!l.ok && l.error).toMatch(/a Unix socket path holds at most 107/);
  });

  it('waits for a busy journald, then hands back what did not fit in the wait', async () => {
    const ident = `mt-busy-${process.pid}`;
    const sink = new JournalSink({ id: 'j', socket: jd.socket, identifier: ident, busyLimitMs: 300 });
    jd.pause(); // journald stops reading: its socket queue (net.unix.max_dgram_qlen) fills
    try {
      const r = await sink.write(numbered(1000));
      expect(r).toMatchObject({ ok: false, retry: true });
      const delivered = r.ok ? 1000 : r.delivered!;
      expect(delivered).toBeGreaterThan(0);
      expect(delivered).toBeLessThan(1000);
      expect(!r.ok && r.error).toMatch(/is not keeping up \(EAGAIN\)/);
      jd.resume();
      // the subscriber retries the rest: here by hand
      expect(await sink.write(numbered(1000 - delivered, delivered))).toEqual({ ok: true });
    } finally {
      jd.resume();
    }
    const got = await jd.entries(ident, 1000);
    expect(ids(got)).toEqual(Array.from({ length: 1000 }, (_, i) => `n${i}`));
    expect(sink.details()).toMatchObject({ sent: 1000, lost: 0 });
    expect(sink.details().busyWaits).toBeGreaterThan(0);
    await sink.close();
  });

  it('mailtel check finds nothing wrong with a listening journald, and says what is wrong otherwise', () => {
    expect(journalProblem(jd.socket)).toBeUndefined();
    expect(journalProblem('/run/systemd/journal.none/socket')).toBe('no journald socket at /run/systemd/journal.none/socket: the journal tracer will fail until journald listens there');
    expect(journalProblem('/etc/machine-id')).toBe('/etc/machine-id is not a Unix socket: the journal tracer will fail');
    expect(journalProblem(jd.socket, 'win32')).toBe('journald runs only on Linux (this is win32): the journal tracer will fail');
  });

  it('recovers after journald restarts mid-stream and counts what it lost meanwhile', async () => {
    const ident = `mt-restart-${process.pid}`;
    const sink = new JournalSink({ id: 'j', socket: jd.socket, identifier: ident });
    expect(await sink.start()).toEqual({ ok: true });
    let n = 0;
    const send = async (count: number) => {
      const r = await sink.write(numbered(count, n));
      n += count;
      return r;
    };
    for (let i = 0; i < 3; i++) expect(await send(50)).toEqual({ ok: true });
    // Let journald read what it was sent (datagrams still in its socket die with it: no sender sees that).
    await jd.entries(ident, 150);
    await jd.stop();
    const down = await send(50);
    expect(down).toMatchObject({ ok: false, retry: false, delivered: 0 });
    expect(!down.ok && down.error).toMatch(/no journald listens at .* \((ECONNREFUSED|ENOENT)\): 50 events lost/);
    expect(await send(30)).toMatchObject({ ok: false, delivered: 0 });
    await jd.start();
    for (let i = 0; i < 3; i++) expect(await send(40)).toEqual({ ok: true });
    const got = await jd.entries(ident, 270);
    const expected = [...Array(150).keys(), ...Array.from({ length: 120 }, (_, i) => 230 + i)].map((i) => `n${i}`);
    expect(ids(got)).toEqual(expected);
    expect(sink.details()).toMatchObject({ sent: 270, lost: 80 });
    await sink.close();
  });
});

describe('journal sink without what it needs', () => {
  it('says when journald cannot be reached through the C library (koffi) on this machine', async () => {
    const r = await loadLibc();
    if (process.platform === 'linux') expect(r.ok, r.ok ? '' : r.reason).toBe(true);
    else expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/only on Linux/) });
  });

  it('names what is missing when koffi is not installed, and refuses off Linux', async () => {
    const missing = await loadLibcWith(() => Promise.reject(new Error("Cannot find package 'koffi' imported from /x")), 'linux');
    expect(missing).toEqual({
      ok: false,
      reason: "the optional package koffi (libc calls for journald's datagram socket) is not installed or cannot load here: Cannot find package 'koffi' imported from /x; install it with npm install (not --omit=optional)",
    });
    expect(await loadLibcWith(() => import('koffi' as string), 'darwin')).toEqual({ ok: false, reason: 'journald runs only on Linux (this is darwin)' });
  });

  it.skipIf(process.platform !== 'linux')('the socket refuses a path longer than sun_path', async () => {
    const r = await loadLibc();
    if (!r.ok) throw new Error(r.reason);
    expect(() => new JournalSocket(r.libc, '/' + 'a'.repeat(107))).toThrow(/at most 107/);
  });
});
