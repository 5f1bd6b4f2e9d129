import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runMailtel, statusLines } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-e2e-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const dayFile = (ms: number) => `stalwart.${new Date(ms).toISOString().slice(0, 10)}`;

const readLines = (d: string) =>
  readdirSync(d)
    .sort()
    .flatMap((f) => readFileSync(join(d, f), 'utf8').split('\n').filter(Boolean));

describe('headless mode', () => {
  it('replays the fixture into byte-exact log files and exits when done', async () => {
    const logs = join(dir, 'logs');
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(
      cfg,
      `[source.fixture]\ntype = "replay"\npath = "${ROOT}test/fixtures/replay/small.ndjson"\nspeed = 0\n\n` +
        `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${logs}"\n`,
    );
    // The file is named by the wall clock when it opens (Stalwart), not by the 2025 events.
    const before = dayFile(Date.now());
    const run = runMailtel(['--headless', '--status-json', '--until-done', '--config', cfg]);
    expect(await run.exit, run.how()).toBe(0);
    const today = readdirSync(logs)[0] === before ? before : dayFile(Date.now());
    const final = statusLines(run.stdout()).find((s) => s.final);
    expect(final.sources[0]).toMatchObject({ id: 'fixture', state: 'finished', events: 50, errors: 2 });
    expect(final.collector).toMatchObject({ events: 50, malformed: 2 });
    expect(final.sinks[0]).toMatchObject({ id: 'log', received: 50, written: 50, droppedError: 0, droppedIntentional: 0, state: 'stopped' });
    expect(readdirSync(logs)).toEqual([today]);
    const want = readFileSync(join(ROOT, 'test/fixtures/headless/small.expected'));
    expect(readFileSync(join(logs, today)).toString()).toBe(want.toString());
    // the malformed lines are reported with their line numbers
    expect(final.messages.map((m: { text: string }) => m.text).join('\n')).toMatch(/small\.ndjson:14: .*\n.*small\.ndjson:37: /);
  });

  it('runs the demo into real files, prints status, and loses nothing on SIGTERM', async () => {
    const logs = join(dir, 'logs');
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 400\nseed = 3\n\n[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${logs}"\n`);
    const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--config', cfg]);
    await waitFor(() => statusLines(run.stdout()).some((s) => s.sinks[0].written > 200), 15_000, '200 events written');
    run.child.kill('SIGTERM');
    expect(await run.exit, run.how()).toBe(0);
    const lines = statusLines(run.stdout());
    const final = lines.find((s) => s.final);
    expect(lines.length).toBeGreaterThan(2);
    const sink = final.sinks[0];
    expect(final.sources[0].state).toBe('stopped');
    // every event collected reached the file: nothing accepted is lost on a clean shutdown
    expect(sink.written).toBe(final.collector.events);
    expect(sink.droppedError + sink.droppedIntentional + sink.queueDepth).toBe(0);
    expect(readLines(logs)).toHaveLength(final.collector.events);
  });

  it('flushes a deep backlog on SIGTERM: every accepted event of a fast replay is written', async () => {
    const input = join(dir, 'events.ndjson');
    writeFileSync(input, execFileSync(process.execPath, [BIN, 'generate', '--events', '200000', '--seed', '5'], { maxBuffer: 1 << 28 }));
    const logs = join(dir, 'logs');
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(cfg, `[source.big]\ntype = "replay"\npath = "${input}"\nspeed = 0\n\n[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${logs}"\n`);
    const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.1', '--config', cfg]);
    await waitFor(() => statusLines(run.stdout()).some((s) => s.collector.events > 20_000), 20_000, 'replay under way');
    run.child.kill('SIGINT');
    expect(await run.exit, run.how()).toBe(0);
    const final = statusLines(run.stdout()).find((s) => s.final);
    expect(final.collector.events).toBeGreaterThan(20_000);
    expect(final.sinks[0].written).toBe(final.collector.events);
    expect(readLines(logs)).toHaveLength(final.collector.events);
  });

  it('shows an unwritable log directory as a failing sink and keeps running', async () => {
    const blocker = join(dir, 'not-a-dir');
    writeFileSync(blocker, 'a file where the log directory should be');
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(
      cfg,
      `[source.demo]\ntype = "demo"\nrate = 200\n\n[tracer.log]\ntype = "log"\npath = "${blocker}/logs"\n\n` +
        `[tracer.console]\ntype = "console"\nlevel = "warn"\nansi = false\n`,
    );
    const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--config', cfg]);
    await waitFor(() => statusLines(run.stdout()).some((s) => s.sinks[0].state === 'failing' && s.sinks[1].written > 0), 15_000, 'failing log sink');
    run.child.kill('SIGTERM');
    expect(await run.exit, run.how()).toBe(0);
    const final = statusLines(run.stdout()).find((s) => s.final);
    const log = final.sinks.find((s: { id: string }) => s.id === 'log');
    expect(log.state).toBe('stopped');
    expect(log.lastError.message).toContain(`${blocker}/logs`);
    expect(log.written).toBe(0);
    // the log sink's own error event reached the console sink, never the log sink itself
    // with Stalwart's details, path and reason
    expect(run.stderr()).toMatch(
      new RegExp(`WARN Log collector error \\(telemetry\\.log-error\\) details = "Failed to create log file", path = "${blocker}/logs/stalwart\\.\\d{4}-\\d\\d-\\d\\d", reason = "ENOTDIR: not a directory`),
    );
    expect(final.sources[0].state).toBe('stopped');
  });

  it('check prints the pipeline; a bad config names file, line and key and exits 1', async () => {
    const good = runMailtel(['check']);
    expect(await good.exit).toBe(0);
    expect(good.stdout()).toContain('t_log');
    const bad = join(dir, 'bad.toml');
    writeFileSync(bad, '[tracer.log]\ntype = "log"\npath = "/tmp/x"\nrotate = "weekly"\n');
    const run = runMailtel(['check', '--config', bad]);
    expect(await run.exit).toBe(1);
    expect(run.stderr()).toContain(`${bad}:4:1: error: tracer.log.rotate: expected one of daily, hourly, minutely, never; got "weekly"`);
  });

  it('ends the replay thread it started ahead (bin/mailtel.js) when no replay takes it', async () => {
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 50\nseed = 3\n`);
    const args = ['--headless', '--status-json', '--status-interval', '0.1', '--config', cfg];
    const threads = (pid: number) => Number(/^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
    // The same run with no thread started ahead (MAILTEL_REPLAY_WORKER=0) is the yardstick.
    const plain = runMailtel(args, { env: { MAILTEL_REPLAY_WORKER: '0' } });
    const ahead = runMailtel(args);
    try {
      await waitFor(() => statusLines(plain.stdout()).length >= 3 && statusLines(ahead.stdout()).length >= 3, 15_000, 'both runs printing status');
      const base = threads(plain.child.pid!);
      await waitFor(() => threads(ahead.child.pid!) === base, 15_000, `as many threads as the run without one (${base})`);
    } finally {
      plain.child.kill('SIGTERM');
      ahead.child.kill('SIGTERM');
    }
    expect(await plain.exit, plain.how()).toBe(0);
    expect(await ahead.exit, ahead.how()).toBe(0);
  });

  it('refuses to open the screen without a terminal and points at --headless', async () => {
    const run = runMailtel([]);
    expect(await run.exit).toBe(2);
    expect(run.stderr()).toMatch(/needs a terminal.*--headless/);
  });
});
