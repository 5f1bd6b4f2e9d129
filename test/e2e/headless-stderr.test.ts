import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMailtel, statusLines } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

// Under a service manager stderr is all an operator sees: every warning and error must be there.
let dir: string;
let busy: net.Server;
let busyPort: number;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-stderr-'));
  busy = net.createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  busyPort = (busy.address() as net.AddressInfo).port;
});
afterEach(async () => {
  await new Promise((r) => busy.close(r));
  rmSync(dir, { recursive: true, force: true });
});

const LINE = /^mailtel \d\d:\d\d:\d\d\.\d{3} (WARN|ERROR) /;

function config(): string {
  const bad = join(dir, 'bad.ndjson');
  writeFileSync(bad, Array.from({ length: 30 }, (_, i) => `not json ${i}`).join('\n') + '\n');
  const cfg = join(dir, 'mailtel.toml');
  writeFileSync(
    cfg,
    `[source.gone]\ntype = "replay"\npath = "${dir}/missing.ndjson"\nspeed = 0\n\n` +
      `[source.bad]\ntype = "replay"\npath = "${bad}"\nspeed = 0\n\n` +
      `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${dir}/logs"\n\n` +
      `[http]\nlisten = "127.0.0.1:${busyPort}"\n`,
  );
  return cfg;
}

describe('headless says what is wrong on stderr', () => {
  it('prints each warning and error as it happens, rate-limited per origin, and --until-done fails on a source that never produced', async () => {
    const run = runMailtel(['--headless', '--until-done', '--config', config()]);
    const code = await run.exit;
    const err = run.stderr();
    const lines = err.split('\n');
    // the missing file: a failing source with the reason, not a malformed line
    expect(lines.some((l) => LINE.test(l) && /source gone failing: .*missing\.ndjson: file not found/.test(l))).toBe(true);
    // http.listen in use: the process runs on without Prometheus, and says so
    expect(lines.some((l) => LINE.test(l) && l.includes(`http.listen 127.0.0.1:${busyPort}: `) && /EADDRINUSE/.test(l))).toBe(true);
    // a config warning (the missing file) is on stderr at start too
    expect(lines.some((l) => LINE.test(l) && /source\.gone\.path: .*file not found/.test(l))).toBe(true);
    // 30 malformed lines: five shown, the rest counted in one line
    const bad = lines.filter((l) => LINE.test(l) && l.includes('bad.ndjson:'));
    expect(bad).toHaveLength(5);
    expect(err).toMatch(/source bad: 25 more like this in 10 s \(not shown\)/);
    // the final status names what failed, and the exit code says it
    expect(err).toMatch(/mailtel final: failing: source gone: .*file not found/);
    expect(err).toMatch(/source gone failed without producing any event: .*file not found/);
    expect(code).toBe(1);
  });

  it('with --status-json the messages stay in the JSON and stderr stays quiet', async () => {
    const run = runMailtel(['--headless', '--status-json', '--until-done', '--config', config()]);
    expect(await run.exit).toBe(1);
    expect(run.stderr().split('\n').filter((l) => LINE.test(l))).toEqual([]);
    const final = statusLines(run.stdout()).find((s) => s.final);
    const texts = final.messages.map((m: { text: string }) => m.text).join('\n');
    expect(texts).toMatch(/file not found/);
    expect(texts).toMatch(/EADDRINUSE/);
    expect(final.problems.join('\n')).toMatch(/source gone: .*file not found/);
    // a missing file is a failing source, not malformed input
    expect(final.sources.find((s: { id: string }) => s.id === 'gone')).toMatchObject({ state: 'failing', errors: 0, events: 0 });
    expect(final.collector.malformed).toBe(30);
  });

  it('says why an OTLP push failed, with its hint', async () => {
    const cfg = join(dir, 'otlp.toml');
    // a port nothing listens on: take one, then free it
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    writeFileSync(cfg, `[source.d]\ntype = "demo"\nrate = 20\n\n[tracer.c]\ntype = "console"\nlevel = "error"\n\n[metrics.open-telemetry]\ntransport = "http"\nendpoint = "http://127.0.0.1:${free}/v1/metrics"\ninterval = "200ms"\ntimeout = "1s"\n`);
    const run = runMailtel(['--headless', '--status-interval', '0.2', '--config', cfg]);
    await waitFor(() => /OTLP metrics push to .* failed: .*ECONNREFUSED.*hint: nothing listens/.test(run.stderr()), 15_000, 'the push failure on stderr');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    expect(run.stderr()).toMatch(/mailtel final: failing: otlp push: .*ECONNREFUSED/);
  });

  it('a log directory under /proc never blocks the event loop: status lines go on, the sink fails with the reason', async () => {
    const cfg = join(dir, 'proc.toml');
    writeFileSync(cfg, `[source.d]\ntype = "demo"\nrate = 50\n\n[tracer.log]\ntype = "log"\npath = "/proc/forbidden"\n`);
    const run = runMailtel(['--headless', '--status-json', '--status-interval', '0.1', '--config', cfg]);
    await waitFor(() => statusLines(run.stdout()).filter((s) => s.sinks[0].state === 'failing').length >= 3, 15_000, 'three status lines with the sink failing');
    run.child.kill('SIGTERM');
    expect(await run.exit).toBe(0);
    const final = statusLines(run.stdout()).find((s) => s.final);
    expect(final.sinks[0].lastError.message).toMatch(/Failed to create log file \/proc\/forbidden\/.*: /);
  });

  it('a console tracer writing to a redirected stderr honours NO_COLOR (an ansi key in the file still wins)', async () => {
    const cfg = join(dir, 'console.toml');
    writeFileSync(cfg, `[source.d]\ntype = "demo"\nrate = 200\nseed = 2\n\n[tracer.c]\ntype = "console"\nlevel = "info"\n`);
    const lines = async (env: Record<string, string>) => {
      const run = runMailtel(['--headless', '--status-json', '--config', cfg], { env });
      await waitFor(() => run.stderr().split('\n').length > 20, 15_000, 'console lines');
      run.child.kill('SIGTERM');
      expect(await run.exit).toBe(0);
      return run.stderr();
    };
    expect(await lines({ NO_COLOR: '' })).toContain('\x1b[');
    expect(await lines({ NO_COLOR: '1' })).not.toContain('\x1b[');
    writeFileSync(cfg, `[source.d]\ntype = "demo"\nrate = 200\n\n[tracer.c]\ntype = "console"\nlevel = "info"\nansi = true\n`);
    expect(await lines({ NO_COLOR: '1' })).toContain('\x1b[');
  });
});
