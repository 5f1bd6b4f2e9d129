import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runMailtel, statusLines } from '../helpers/cli.js';
import { StalwartTestServer } from '../helpers/stalwart-server.js';
import { parseEventsJson } from '../../src/format/json-parse.js';
import { readRecordLine } from '../../src/record/read.js';
import type { TelemetryEvent } from '../../src/runtime/event.js';
import { SpanKeyFolder } from '../../src/sources/replay-spans.js';
import { waitFor } from '../helpers/wait.js';
import { liveEnv, stalwartToml, traffic } from '../sources/stalwart/live-env.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-record-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

function replayConfig(name: string, input: string, logs: string): string {
  const cfg = join(dir, `${name}.toml`);
  writeFileSync(cfg, `[source.fixture]\ntype = "replay"\npath = "${input}"\nspeed = 0\n\n[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${logs}"\nrotate = "never"\n`);
  return cfg;
}

describe('--record', () => {
  it('records every event; replaying the recording logs one line per recorded event, the same lines, the source id kept', async () => {
    const rec1 = join(dir, 'rec1.ndjson');
    const rec2 = join(dir, 'rec2.ndjson');
    const first = runMailtel(['--headless', '--status-json', '--until-done', '--record', rec1, '--config', replayConfig('a', `${ROOT}test/fixtures/replay/small.ndjson`, join(dir, 'a'))]);
    expect(await first.exit).toBe(0);
    const final = statusLines(first.stdout()).find((s) => s.final);
    expect(final.sinks.find((s: { id: string }) => s.id === 'record')).toMatchObject({ type: 'record', written: 50, droppedError: 0, droppedIntentional: 0 });
    expect(lines(rec1)).toHaveLength(50);
    expect(lines(rec1).every((l) => JSON.parse(l).source === 'fixture')).toBe(true);

    const second = runMailtel(['--headless', '--until-done', '--record', rec2, '--config', replayConfig('b', rec1, join(dir, 'b'))]);
    expect(await second.exit).toBe(0);
    const logA = lines(join(dir, 'a', 'stalwart'));
    const logB = lines(join(dir, 'b', 'stalwart'));
    expect(logA).toHaveLength(50);
    expect(logB).toEqual(logA);
    // Read back unchanged: recording the replay gives the same file.
    expect(readFileSync(rec2, 'utf8')).toBe(readFileSync(rec1, 'utf8'));
  });

  it('an unwritable file is a failing row with the reason, never a crash', async () => {
    const bad = join(dir, 'no-such-dir', 'rec.ndjson');
    const run = runMailtel(['--headless', '--status-json', '--until-done', '--record', bad, '--config', replayConfig('c', `${ROOT}test/fixtures/replay/small.ndjson`, join(dir, 'c'))]);
    expect(await run.exit).toBe(0);
    const final = statusLines(run.stdout()).find((s) => s.final);
    const row = final.sinks.find((s: { id: string }) => s.id === 'record');
    expect(row.state).toBe('stopped');
    expect(row.failures).toBeGreaterThan(0);
    expect(row.lastError.message).toMatch(/cannot open .*no-such-dir.*ENOENT/);
    expect(final.sinks.find((s: { id: string }) => s.id === 'log')).toMatchObject({ written: 50 });
  });

  const view = (e: TelemetryEvent) => ({ type: e.type, source: e.source, spanId: e.spanId, data: e.data, span: e.span });

  /**
   * Records 120 live events from a server of generation `api`, replays the recording through the
   * replay source and checks the same log lines and events come out; `check` sees the recording.
   */
  async function roundTrip(api: 'v0.15' | 'v0.16', check: (live: ReturnType<typeof view>[], recorded: string[]) => void): Promise<void> {
    const server = await new StalwartTestServer({ api, batchMs: 20 }).start();
    const rec = join(dir, `live-${api}.ndjson`);
    const env = await liveEnv(stalwartToml('node7', server.url));
    try {
      await env.rt.startRecording(rec);
      server.emit(traffic(120, 9, 0));
      await waitFor(() => env.probes().length >= 120, 10_000, 'live events logged');
      await env.rt.stopRecording();
      const live = env.rt.recentEvents().map(view);
      check(live, lines(rec));
      const again = await liveEnv(`[source.again]\ntype = "replay"\npath = "${rec}"\nspeed = 0\n`);
      try {
        await waitFor(() => again.rt.snapshot().sources[0]!.state === 'finished', 10_000, 'replayed');
        await again.rt.idle();
        expect(again.rt.snapshot().sources[0]!.errors ?? 0).toBe(0);
        expect(again.lines()).toEqual(env.lines());
        expect(again.rt.recentEvents().map(view)).toEqual(live);
      } finally {
        await again.close();
      }
    } finally {
      await env.close();
      await server.stop();
    }
  }

  it('v0.15 live events keep their source and span through a recording and its replay', async () => {
    // v0.15's elements carry the span keys after the own ones, as the recording (the webhook
    // shape) does: both sides fold them the same way.
    await roundTrip('v0.15', (live, recorded) => {
      expect(recorded).toHaveLength(live.length);
      expect(recorded.every((l) => JSON.parse(l).source === 'node7')).toBe(true);
    });
  });

  it('v0.16 live events, own keys only, read back unchanged: an own key at the end equal to its span\'s (total = 1) is kept', async () => {
    await roundTrip('v0.16', (live, recorded) => {
      // The case the webhook shape alone loses: an own last key equal to the span's.
      const hit = live.find((e) => e.type === 'delivery.domain-delivery-start')!;
      expect(hit.data.total).toBe(1);
      expect(hit.span!.total).toBe(1);
      expect(JSON.parse(recorded[live.indexOf(hit)]!)).toMatchObject({ source: 'node7', ownKeys: Object.keys(hit.data).length });
      // Without ownKeys (the webhook shape alone) the span-key folding would cut that key.
      const folder = new SpanKeyFolder();
      const plain = recorded.flatMap((l) => parseEventsJson(l, folder.keep).events);
      expect(plain[live.indexOf(hit)]!.data.total).toBeUndefined();
    });
  });

  it('a recording started mid-span: the span keys after ownKeys become the event\'s span', () => {
    const line = '{"id":"1","createdAt":"2026-01-01T00:00:00Z","type":"smtp.ehlo","source":"n1","ownKeys":1,"data":{"spanId":9,"domain":"x.example","remoteIp":"192.0.2.1","localPort":25}}';
    const { events } = readRecordLine(line, new SpanKeyFolder().keep);
    expect(events).toEqual([{ type: 'smtp.ehlo', createdAt: Date.UTC(2026, 0, 1), source: 'n1', spanId: '9', spanAt: 0, data: { domain: 'x.example' }, span: { remoteIp: '192.0.2.1', localPort: 25 } }]);
    // Lines without ownKeys read as the replay source reads them.
    const webhook = '{"events":[{"id":"1","createdAt":"2026-01-01T00:00:00Z","type":"auth.success","data":{"accountName":"a"}}]}';
    expect(readRecordLine(webhook)).toEqual(parseEventsJson(webhook));
  });
});

describe('--record on a full disk', () => {
  it('/dev/full: the recording row fails with ENOSPC, the pipeline and its other sinks go on', async () => {
    const env = await liveEnv('[source.demo]\ntype = "demo"\nrate = 500\nseed = 1\n');
    try {
      await env.rt.startRecording('/dev/full');
      const row = () => env.rt.snapshot().sinks.find((s) => s.id === 'record')!;
      await waitFor(() => row().state === 'failing', 10_000, 'recording failing');
      expect(row().lastError!.message).toMatch(/cannot write to \/dev\/full: ENOSPC/);
      const before = env.lines().length;
      await waitFor(() => env.lines().length > before + 50, 10_000, 'log keeps growing');
      expect(env.rt.snapshot().sinks.find((s) => s.id === 'log')!.state).toBe('ok');
    } finally {
      await env.close();
    }
  });
});
