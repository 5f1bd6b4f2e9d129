import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMailtel, statusLines, type Run } from '../../helpers/cli.js';
import { StalwartTestServer } from '../../helpers/stalwart-server.js';
import { waitFor } from '../../helpers/wait.js';
import { stalwartToml, traffic } from './live-env.js';

let dir: string;
let run: Run | undefined;
const servers: StalwartTestServer[] = [];
afterEach(async () => {
  run?.child.kill('SIGKILL');
  run = undefined;
  for (const s of servers.splice(0)) await s.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mailtel --headless --status-json with live sources', () => {
  it('two nodes: one streaming with its figures, one failing auth with the reason and the next retry; the filters go to the server', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-live-cli-'));
    const good = await new StalwartTestServer({ api: 'v0.15', batchMs: 20 }).start();
    const bad = await new StalwartTestServer({ api: 'v0.16' }).start();
    servers.push(good, bad);
    bad.refuseAuth = true;
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(
      cfg,
      stalwartToml('node1', good.url, 'filter = "example"\nfilters.remote-ip = "192.0."') +
        stalwartToml('node2', bad.url) +
        `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n`,
    );
    good.emit(traffic(100, 1, 0));
    run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--config', cfg]);
    const last = () => statusLines(run!.stdout()).at(-1);
    await waitFor(() => last()?.sources[0].details.frames >= 1 && last()?.sources[0].events === 100 && last()?.sources[1].details.phase === 'auth failed', 20_000, 'both states');
    const [node1, node2] = last()!.sources;
    expect(node1).toMatchObject({ id: 'node1', type: 'stalwart', state: 'running', events: 100, errors: 0 });
    expect(node1.details).toMatchObject({ phase: 'streaming', api: 'v0.15', nextRetryAt: null });
    expect(typeof node1.details.lastFrameAt).toBe('number');
    expect(node2).toMatchObject({ id: 'node2', state: 'failing' });
    expect(node2.details.reason).toMatch(/^HTTP 401 from \/api\/token\/tracing: check auth\.username\/secret/);
    expect(node2.details.nextRetryAt).toBeGreaterThanOrEqual(last()!.at + 1);
    const stream = good.requests.find((r) => r.path === '/api/telemetry/traces/live')!;
    expect(stream.query).toMatchObject({ filter: 'example', 'remote-ip': '192.0.' });
    expect(bad.requests.filter((r) => r.path === '/api/token/tracing')).toHaveLength(1);
  });

  it('a v0.16 server that repeats every event: the JSON says so with the restart count, a warning once, the log has each event once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-live-cli-'));
    const srv = await new StalwartTestServer({ api: 'v0.16', batchMs: 20, cumulative: true }).start();
    servers.push(srv);
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(cfg, stalwartToml('node1', srv.url, 'max-frame = 65536') + `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n`);
    run = runMailtel(['--headless', '--status-json', '--status-interval', '0.2', '--config', cfg]);
    const last = () => statusLines(run!.stdout()).at(-1)?.sources[0];
    for (let round = 0; round < 8; round++) {
      await waitFor(() => last()?.details.phase === 'streaming' && srv.traceStreams === 1 && last()?.details.connections === srv.traceStreamsOpened, 20_000, 'streaming');
      srv.emit(traffic(20, round + 1, round * 100));
      await waitFor(() => last()?.events === 20 * (round + 1), 20_000, `round ${round}`);
    }
    await waitFor(() => last()?.details.restarts >= 1 && last()?.details.repeats !== undefined, 20_000, 'restart in the status');
    const node1 = last()!;
    expect(node1.details.repeats).toBe(`Stalwart v0.16 resends every event in every frame: repeats skipped, stream restarted ${node1.details.restarts} ${node1.details.restarts === 1 ? 'time' : 'times'}`);
    expect(node1).toMatchObject({ events: 160, errors: 0 });
    expect(node1.details).toMatchObject({ reconnects: 0, oversizeFrames: 0 });
    const warned = statusLines(run.stdout()).at(-1)!.messages.filter((m: { text: string }) => m.text.includes('resends every event'));
    expect(warned).toHaveLength(1);
    expect(warned[0].level).toBe('warn');
    const logged = () => readdirSync(join(dir, 'logs')).flatMap((f) => readFileSync(join(dir, 'logs', f), 'utf8').split('\n').filter(Boolean));
    await waitFor(() => logged().length >= 160, 20_000, '160 lines logged');
    const probes = logged().map((l) => Number([...l.matchAll(/ probe = (\d+)/g)].at(-1)![1]));
    expect(new Set(probes).size).toBe(160);
    expect(probes).toHaveLength(160);
  });
});

describe('filters a v0.16 server ignores', () => {
  it('api = "v0.16": `check` warns on the filter line; headless says it on stderr, the source once', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-live-cli-'));
    const srv = await new StalwartTestServer({ api: 'v0.16', batchMs: 20 }).start();
    servers.push(srv);
    const cfg = join(dir, 'mailtel.toml');
    // Line 7: filters.remote-ip (one-word filters.domain is read by v0.16 as it is).
    writeFileSync(cfg, stalwartToml('node1', srv.url, 'api = "v0.16"\nfilters.remote-ip = "192.0."\nfilters.domain = "example"') + `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n`);
    expect(readFileSync(cfg, 'utf8').split('\n')[7]).toBe('filters.remote-ip = "192.0."');
    const check = runMailtel(['check', '--config', cfg]);
    expect(await check.exit).toBe(0);
    expect(check.stdout()).toContain(`Warnings (1)\n  ${cfg}:8:1: warning: source.node1.filters.remote-ip: a v0.16 server cannot filter on a key of more than one word:`);

    // Headless without --status-json: runtime messages go to stderr.
    const logged = () => readdirSync(join(dir, 'logs')).flatMap((f) => readFileSync(join(dir, 'logs', f), 'utf8').split('\n').filter(Boolean)).length;
    srv.emit(traffic(10, 1, 0));
    run = runMailtel(['--headless', '--config', cfg]);
    await waitFor(() => existsSync(join(dir, 'logs')) && logged() === 10, 20_000, 'streaming');
    const said = () => run!.stderr().split('\n').filter((l) => l.includes('source node1: filters.remote-ip'));
    expect(said()).toHaveLength(1);
    expect(said()[0]).toMatch(/ WARN source node1: filters\.remote-ip: a v0\.16 server cannot filter on a key of more than one word and ignores it/);
    srv.emit(traffic(10, 2, 10));
    await waitFor(() => logged() === 20, 20_000, 'more frames');
    expect(said()).toHaveLength(1);
    expect(run.stderr()).toContain(`${cfg}:8: source.node1.filters.remote-ip`);
  });

  it('api = "v0.15" gives no warning; api = "auto" says it applies if the server is v0.16', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-live-cli-'));
    for (const [api, expected] of [['v0.15', 'Warnings (0)'], ['auto', 'filters.remote-ip: if the server is v0.16 (api = "auto"): a v0.16 server cannot filter']] as const) {
      const cfg = join(dir, `${api}.toml`);
      writeFileSync(cfg, stalwartToml('node1', 'http://127.0.0.1:9', `api = "${api}"\nfilters.remote-ip = "192.0."`));
      const check = runMailtel(['check', '--config', cfg]);
      expect(await check.exit).toBe(0);
      expect(check.stdout()).toContain(expected);
    }
  });
});
