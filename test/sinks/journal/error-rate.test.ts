import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/load-config.js';
import type { IncomingEvent } from '../../../src/runtime/event.js';
import { createRuntime, REPEAT_INTERVAL_MS } from '../../../src/runtime/runtime.js';

// Issue 13: a sink that cannot work must not feed error events into the other sinks at the rate
// of the events it drops: one error event per distinct failure per interval, with the count.
// The journal tracer's failure text carries how many events each batch lost ("…: 3 events
// lost"); batches of every size are still one failure.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-err-rate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function events(n: number): IncomingEvent[] {
  return Array.from({ length: n }, (_, i) => ({ type: 'smtp.ehlo', data: { domain: `mx${i}.example.org` } }));
}

describe('a journal tracer with no journald, next to a log tracer', () => {
  it('raises one telemetry.journal-error per interval whatever the batch sizes, the next one with the total', async () => {
    let now = Date.parse('2025-06-15T18:00:00Z');
    const config = parseConfig(
      `[tracer.j]\ntype = "journal"\nlevel = "trace"\nsocket = "${dir}/no.socket"\n\n` +
        `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${dir}/logs"\nrotate = "never"\n`,
      'rate.toml',
    );
    const rt = await createRuntime(config, { now: () => now });
    await rt.start();
    const feed = async (n: number) => {
      for (const e of events(n)) rt.collector.ingest(e);
      await rt.idle();
    };
    // Seven batches of different sizes inside one interval: seven failures, one error event.
    for (const n of [1, 2, 3, 5, 8, 13, 21]) await feed(n);
    const row = rt.snapshot().sinks.find((s) => s.id === 'j')!;
    expect(row).toMatchObject({ state: 'failing', droppedError: 53 });
    now += REPEAT_INTERVAL_MS;
    await feed(4);
    await rt.stop();
    const log = readdirSync(join(dir, 'logs')).map((f) => readFileSync(join(dir, 'logs', f), 'utf8')).join('');
    const errors = log.split('\n').filter((l) => l.includes('(telemetry.journal-error)'));
    // the start check is one failure, the sends another: each raised once in the interval
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/id = "j", details = "no journald listens at .* \(ENOENT\)"$/);
    expect(errors[1]).toMatch(/details = "Failed to send event to journald", reason = "no journald listens at .* \(ENOENT\)"$/);
    // after the interval: one more, standing for itself and the six held back
    expect(errors[2]).toMatch(/^2025-06-15T18:00:10Z .*reason = "no journald listens at .*", total = 7$/);
    expect(log.split('\n').filter((l) => l.includes('(smtp.ehlo)'))).toHaveLength(57);
    const messages = rt.snapshot().messages.filter((m) => m.origin === 'sink t_j');
    expect(messages.map((m) => m.text.replace(/^.*\(ENOENT\)/, ''))).toEqual(['', ': 1 event lost', ': 4 events lost (7 times in the last 10 s)']);
  });
});
