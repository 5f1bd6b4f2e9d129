import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventInfo } from '../../../src/catalogue/index.js';
import { parseEventsJson } from '../../../src/format/json-parse.js';
import type { IncomingEvent } from '../../../src/runtime/event.js';
import { SpanKeyFolder } from '../../../src/sources/replay-spans.js';
import { ROOT, runMailtel, statusLines } from '../../helpers/cli.js';
import { fieldText, Journald, journaldUnavailable } from '../../helpers/journald.js';

// The built `mailtel` command, headless: the replay fixture into a journal tracer pointed at a
// private journald with `socket`, read back with journalctl.

const unavailable = journaldUnavailable();
if (unavailable) console.warn(`journald tests skipped: ${unavailable}`);

const FIXTURE = join(ROOT, 'test/fixtures/replay/small.ndjson');

/** The fixture's events with their own keys only (a capture appends the span's keys: see replay-spans). */
function fixtureEvents(): IncomingEvent[] {
  const out: IncomingEvent[] = [];
  const folder = new SpanKeyFolder();
  for (const line of readFileSync(FIXTURE, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    for (const ev of parseEventsJson(line).events) {
      folder.fold(ev);
      out.push(ev);
    }
  }
  return out;
}

describe.skipIf(unavailable !== undefined)('journal tracer in headless mode', () => {
  let jd: Journald;
  let dir: string;
  beforeAll(async () => {
    jd = new Journald();
    await jd.start();
    dir = mkdtempSync(join(tmpdir(), 'mailtel-journal-'));
  });
  afterAll(async () => {
    await jd?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes every replayed event once, with priority, message, identifier and its keys', async () => {
    const ident = `mt-headless-${process.pid}`;
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(
      cfg,
      `[source.fixture]\ntype = "replay"\npath = "${FIXTURE}"\nspeed = 0\n\n` +
        `[tracer.j]\ntype = "journal"\nlevel = "trace"\nsocket = "${jd.socket}"\nidentifier = "${ident}"\n`,
    );
    const check = runMailtel(['check', '--config', cfg]);
    expect(await check.exit).toBe(0);
    expect(check.stdout()).toMatch(new RegExp(`t_j +journal +trace .* ${jd.socket.replace(/\./g, '\\.')}\n +identifier ${ident}`));
    expect(check.stdout()).toMatch(/Warnings \(0\)/);

    const run = runMailtel(['--headless', '--status-json', '--until-done', '--config', cfg]);
    expect(await run.exit).toBe(0);
    const final = statusLines(run.stdout()).find((s) => s.final);
    const want = fixtureEvents();
    expect(want).toHaveLength(50);
    expect(final.sinks[0]).toMatchObject({ id: 'j', type: 'journal', received: 50, written: 50, droppedError: 0 });
    expect(final.sinks[0].details).toMatchObject({ sent: 50, lost: 0, identifier: ident, socket: jd.socket });

    const got = await jd.entries(ident, 50);
    expect(got).toHaveLength(50);
    const prio = { error: '3', warn: '4', info: '5', debug: '6', trace: '7' } as const;
    got.forEach((entry, i) => {
      const ev = want[i]!;
      const info = eventInfo(ev.type)!;
      expect(entry.PRIORITY).toBe(prio[info.level]);
      expect(entry.MESSAGE).toBe(info.description);
      expect(entry.SYSLOG_IDENTIFIER).toBe(ident);
      if (ev.spanId !== undefined) expect(entry.SPANID).toBe(ev.spanId);
      const own = Object.keys(entry).filter((k) => /^[A-Z]/.test(k) && !['PRIORITY', 'SYSLOG_IDENTIFIER', 'MESSAGE', 'SPANID'].includes(k));
      expect(own.sort(), ev.type).toEqual(Object.keys(ev.data).map((k) => k.toUpperCase()).sort());
      for (const [k, v] of Object.entries(ev.data)) {
        if (typeof v === 'string' && k !== 'due' && k !== 'expires') expect(fieldText(entry[k.toUpperCase()]), `${ev.type} ${k}`).toBe(v);
        if (typeof v === 'number') expect(entry[k.toUpperCase()], `${ev.type} ${k}`).toBe(String(v));
      }
    });
  });

  it('mailtel check warns at the tracer when nothing listens at socket, and the row fails with the reason', async () => {
    const cfg = join(dir, 'missing.toml');
    const socket = `/run/systemd/journal.absent${process.pid}/socket`;
    writeFileSync(cfg, `[source.fixture]\ntype = "replay"\npath = "${FIXTURE}"\nspeed = 0\n\n[tracer.j]\ntype = "journal"\nsocket = "${socket}"\n`);
    const check = runMailtel(['check', '--config', cfg]);
    await check.exit;
    expect(check.stdout()).toContain(`missing.toml:8:1: warning: tracer.j.socket: no journald socket at ${socket}: the journal tracer will fail until journald listens there`);
    const run = runMailtel(['--headless', '--status-json', '--until-done', '--config', cfg]);
    await run.exit;
    const final = statusLines(run.stdout()).find((s) => s.final);
    expect(final.sinks[0].lastError.message).toMatch(/no journald listens at .* \(ENOENT\)/);
    expect(final.sinks[0].written).toBe(0);
  });
});
