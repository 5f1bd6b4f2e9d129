import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventInfo } from '../../../src/catalogue/index.js';
import { parseConfig } from '../../../src/load-config.js';
import type { IncomingEvent } from '../../../src/runtime/event.js';
import { createRuntime } from '../../../src/runtime/runtime.js';
import { fieldText, Journald, journaldUnavailable } from '../../helpers/journald.js';

// The journal tracer inside the runtime, next to a log tracer, while its journald restarts:
// what journald could not take is counted, telemetry.journal-error reaches the log tracer and
// never the journal tracer, and the journal tracer picks up again by itself.

const unavailable = journaldUnavailable();
if (unavailable) console.warn(`journald tests skipped: ${unavailable}`);

function batch(from: number, n: number): IncomingEvent[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'smtp.ehlo', data: { id: `n${from + i}`, domain: 'mx.example.org' }, spanId: String(9000 + from + i) }));
}

describe.skipIf(unavailable !== undefined)('journal tracer in the runtime across a journald restart', () => {
  let jd: Journald;
  let dir: string;
  beforeAll(async () => {
    jd = new Journald();
    await jd.start();
    dir = mkdtempSync(join(tmpdir(), 'mailtel-journal-rt-'));
  });
  afterAll(async () => {
    await jd?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('counts the events lost while journald is down, raises telemetry.journal-error elsewhere, and recovers', async () => {
    const ident = `mt-rt-${process.pid}`;
    const config = parseConfig(
      `[tracer.j]\ntype = "journal"\nlevel = "trace"\nsocket = "${jd.socket}"\nidentifier = "${ident}"\n\n` +
        `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${dir}"\nrotate = "never"\n`,
      'runtime.test.toml',
    );
    expect(config.warnings.map((w) => w.message)).toEqual(["no source.<id> is configured: no events will flow"]);
    const rt = await createRuntime(config);
    await rt.start();
    const row = () => rt.snapshot().sinks.find((s) => s.id === 'j')!;
    const feed = async (events: IncomingEvent[]) => {
      for (const e of events) rt.collector.ingest(e);
      await rt.idle();
    };

    await feed(batch(0, 100));
    await jd.entries(ident, 100);
    await jd.stop();
    await feed(batch(100, 40));
    expect(row()).toMatchObject({ state: 'failing', written: 100, droppedError: 40 });
    expect(row().lastError!.message).toMatch(/no journald listens at .* \((ECONNREFUSED|ENOENT)\): 40 events lost/);
    await jd.start();
    await feed(batch(140, 60));
    expect(row()).toMatchObject({ state: 'ok', received: 200, written: 160, droppedError: 40 });
    expect(row().details).toMatchObject({ sent: 160, lost: 40 });

    const got = await jd.entries(ident, 160);
    const ids = got.map((e) => fieldText(e.ID));
    expect(ids).toEqual([...Array.from({ length: 100 }, (_, i) => `n${i}`), ...Array.from({ length: 60 }, (_, i) => `n${140 + i}`)]);
    // never its own error event: every entry is one of the fed events
    expect(new Set(got.map((e) => e.MESSAGE))).toEqual(new Set([eventInfo('smtp.ehlo')!.description]));
    await rt.stop();
    const log = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    expect(log).toMatch(/\(telemetry\.journal-error\) details = "Failed to send event to journald", reason = "no journald listens at .* \((ECONNREFUSED|ENOENT)\)"/);
    expect(log.split('\n').filter((l) => l.includes('(smtp.ehlo)'))).toHaveLength(200);
  });
});
