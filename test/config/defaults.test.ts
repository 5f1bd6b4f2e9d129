import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoConfigText, DEMO_FILE } from '../../src/config/demo.js';
import { loadConfig, parseConfig } from '../../src/load-config.js';
import type { TracerConfig } from '../../src/config/sinks.js';
import { ConfigError, formatIssue } from '../../src/config/types.js';

const SOURCE = 'source.demo.type = "demo"\n';
const parse = (text: string) => parseConfig(SOURCE + text, 'mailtel.toml');
const tracer = (text: string): TracerConfig => {
  const c = parse(text);
  expect(c.tracers).toHaveLength(1);
  return c.tracers[0]!;
};
const common = { enable: true, level: 'info', lossy: false, events: { policy: 'exclude', patterns: [] }, queueSize: 32768 };

describe('tracer defaults (docs/stalwart.md §1, §8)', () => {
  it('log: prefix stalwart, rotate daily, ansi and multiline off', () => {
    expect(tracer('[tracer.file]\ntype = "log"\npath = "/var/log/mail"\n')).toEqual({
      ...common,
      id: 'file',
      type: 'log',
      path: '/var/log/mail',
      prefix: 'stalwart',
      rotate: 'daily',
      ansi: false,
      multiline: false,
      place: { file: 'mailtel.toml', line: 3, col: 1, key: 'tracer.file' },
    });
  });

  it('console: ansi on, single-line, buffered', () => {
    expect(tracer('[tracer.c]\ntype = "console"\n')).toMatchObject({ ...common, type: 'console', ansi: true, multiline: false, buffered: true });
  });

  it('journal: the system journal socket, identifier stalwart', () => {
    const t = tracer('[tracer.j]\ntype = "journal"\n');
    expect(t).toEqual({
      ...common,
      id: 'j',
      type: 'journal',
      socket: '/run/systemd/journal/socket',
      identifier: 'stalwart',
      place: { file: 'mailtel.toml', line: 3, col: 1, key: 'tracer.j' },
    });
  });

  it('open-telemetry: throttle 1s, timeout 10s, both exporters, protobuf', () => {
    expect(tracer('[tracer.o]\ntype = "open-telemetry"\ntransport = "grpc"\n')).toMatchObject({
      ...common,
      type: 'otel',
      transport: 'grpc',
      protocol: 'protobuf',
      endpoint: undefined,
      headers: {},
      timeoutMs: 10_000,
      throttleMs: 1000,
      logExporter: true,
      spanExporter: true,
    });
  });

  it('type aliases: stdout and stderr are console, otel is open-telemetry', () => {
    expect(tracer('[tracer.a]\ntype = "stdout"\n').type).toBe('console');
    expect(tracer('[tracer.a]\ntype = "stderr"\n').type).toBe('console');
    expect(tracer('[tracer.a]\ntype = "otel"\ntransport = "grpc"\n').type).toBe('otel');
    expect(tracer('[tracer.a]\ntype = "Console"\nlevel = "DEBUG"\n')).toMatchObject({ type: 'console', level: 'debug' });
  });

  it('reads every key of every tracer type', () => {
    const c = parse(`
[tracer.file]
type = "log"
path = "/tmp/l"
prefix = "mail"
rotate = "hourly"
ansi = true
multiline = true
level = "debug"
lossy = true
queue-size = 1000
[tracer.con]
type = "console"
ansi = false
buffered = false
multiline = true
enable = false
[tracer.o]
type = "otel"
transport = "http"
endpoint = "http://127.0.0.1:4318"
headers = ["X-Scope: tenant-1"]
timeout = "2s"
throttle = "250ms"
protocol = "json"
enable.log-exporter = false
enable.span-exporter = true
`);
    expect(c.warnings).toEqual([]);
    expect(c.tracers[0]).toMatchObject({ prefix: 'mail', rotate: 'hourly', ansi: true, multiline: true, level: 'debug', lossy: true, queueSize: 1000 });
    expect(c.tracers[1]).toMatchObject({ type: 'console', ansi: false, buffered: false, multiline: true, enable: false });
    expect(c.tracers[2]).toMatchObject({
      transport: 'http',
      endpoint: 'http://127.0.0.1:4318',
      headers: { 'X-Scope': 'tenant-1' },
      timeoutMs: 2000,
      throttleMs: 250,
      protocol: 'json',
      logExporter: false,
      spanExporter: true,
    });
  });

  it('dotted keys and [tables] give the same config', () => {
    const dotted = parse('tracer.f.type = "log"\ntracer.f.path = "/x"\ntracer.f.rotate = "never"\nwebhook.w.url = "http://h/"\nwebhook.w.events = ["auth.*"]\n');
    const tables = parse('[tracer.f]\ntype = "log"\npath = "/x"\nrotate = "never"\n[webhook]\nw = { url = "http://h/", events = ["auth.*"] }\n');
    const strip = (c: ReturnType<typeof parse>) => ({
      tracers: c.tracers.map(({ place: _p, ...t }) => t),
      webhooks: c.webhooks.map(({ place: _p, ...w }) => w),
    });
    expect(strip(dotted)).toEqual(strip(tables));
    expect(dotted.tracers[0]).toMatchObject({ rotate: 'never', path: '/x' });
  });

  it('accepts otel enable next to enable.log-exporter (flat key space)', () => {
    const t = tracer('[tracer.o]\ntype = "otel"\ntransport = "grpc"\nenable = true\nenable.span-exporter = false\n');
    expect(t).toMatchObject({ enable: true, spanExporter: false, logExporter: true });
  });
});

describe('webhook, metrics and source defaults', () => {
  it('webhook: timeout 30s, throttle 1s, discard-after 5m, no signature, not lossy', () => {
    const c = parse('[webhook.w]\nurl = "https://h/x"\nevents = ["*"]\n');
    expect(c.webhooks[0]).toEqual({
      id: 'w',
      enable: true,
      url: 'https://h/x',
      events: { policy: 'include', patterns: [{ kind: 'all' }] },
      timeoutMs: 30_000,
      throttleMs: 1000,
      discardAfterMs: 300_000,
      signatureKey: undefined,
      headers: {},
      auth: undefined,
      allowInvalidCerts: false,
      lossy: false,
      queueSize: 32768,
      place: { file: 'mailtel.toml', line: 3, col: 1, key: 'webhook.w' },
    });
  });

  it('webhook auth: basic from username+secret, bearer from token', () => {
    const c = parse('[webhook.a]\nurl = "http://h/"\nevents = "*"\nauth.username = "u"\nauth.secret = "s"\n[webhook.b]\nurl = "http://h/"\nevents = "*"\nauth.token = "t"\nenable = false\n');
    expect(c.webhooks.map((w) => w.auth)).toEqual([{ username: 'u', secret: 's' }, { token: 't' }]);
    expect(c.webhooks[1]!.enable).toBe(false);
  });

  it('metrics: OTLP push disabled, Prometheus off, no disabled events', () => {
    expect(parse('').metrics).toEqual({ otel: { transport: 'disable' }, prometheus: { enable: false }, disabledEvents: [] });
  });

  it('metrics OTLP: interval 1m, timeout 10s; https and disabled are aliases', () => {
    const c = parse('[metrics.open-telemetry]\ntransport = "https"\nendpoint = "http://127.0.0.1:4318/v1/metrics"\n');
    expect(c.metrics.otel).toEqual({ transport: 'http', protocol: 'protobuf', endpoint: 'http://127.0.0.1:4318/v1/metrics', headers: {}, timeoutMs: 10_000, intervalMs: 60_000 });
    expect(parse('metrics.open-telemetry.transport = "disabled"\n').metrics.otel).toEqual({ transport: 'disable' });
    const p = parse('metrics.prometheus.enable = true\nmetrics.prometheus.auth.username = "a"\nmetrics.prometheus.auth.secret = "b"\nhttp.listen = "127.0.0.1:9100"\n');
    expect(p.metrics.prometheus).toEqual({ enable: true, username: 'a', secret: 'b' });
    expect(p.http.listen).toBe('127.0.0.1:9100');
  });

  it('sources: demo rate 50; replay speed 1, no restamp, no loop; seed and urls kept', () => {
    const c = parseConfig(
      '[source.d]\ntype = "demo"\n[source.s]\ntype = "demo"\nrate = 2.5\nseed = 7\n[source.r]\ntype = "replay"\npath = "ev.jsonl"\n[source.live]\ntype = "stalwart"\nurl = "http://127.0.0.1:8080"\nauth.token = "t0ken"\n',
      'm.toml',
    );
    expect(c.sources.map((src) => { const { place: _p, pathPlace: _pp, ...s } = src as unknown as Record<string, unknown>; return s; })).toEqual([
      { id: 'd', type: 'demo', rate: 50 },
      { id: 's', type: 'demo', rate: 2.5, seed: 7 },
      { id: 'r', type: 'replay', path: 'ev.jsonl', speed: 1, restamp: false, loop: false },
      {
        id: 'live',
        type: 'stalwart',
        url: 'http://127.0.0.1:8080',
        auth: { token: 't0ken' },
        api: 'auto',
        filters: {},
        metrics: true,
        metricsIntervalMs: 30_000,
        allowInvalidCerts: false,
        timeoutMs: 10_000,
        maxFrameBytes: 32 * 1024 * 1024,
      },
    ]);
  });

  it('durations: ms, s, m, h, d and plain integers as milliseconds', () => {
    const c = parse('[webhook.w]\nurl = "http://h/"\nevents = "*"\ntimeout = 1500\nthrottle = "500ms"\ndiscard-after = "1d"\n[tracer.o]\ntype = "otel"\ntransport = "grpc"\nthrottle = "5m"\ntimeout = "1h"\n');
    expect(c.webhooks[0]).toMatchObject({ timeoutMs: 1500, throttleMs: 500, discardAfterMs: 86_400_000 });
    expect(c.tracers[0]).toMatchObject({ throttleMs: 300_000, timeoutMs: 3_600_000 });
  });
});

describe('implicit console tracer (docs/stalwart.md §1 fallback)', () => {
  it('is added when the file defines no tracer and no webhook', () => {
    const c = parse('');
    expect(c.tracers).toEqual([
      {
        ...common,
        id: 'default',
        type: 'console',
        ansi: true,
        multiline: false,
        buffered: true,
        implicit: true,
        place: { file: 'mailtel.toml', line: 0, col: 0, key: 'tracer.default' },
      },
    ]);
  });

  it('is added when no enabled tracer or webhook survives (Stalwart docs/stalwart.md §0), not when a webhook does', () => {
    expect(parse('[tracer.x]\ntype = "console"\nenable = false\n').tracers.map((t) => [t.id, t.enable])).toEqual([['x', false], ['default', true]]);
    expect(parse('[tracer.x]\ntype = "console"\nlevel = "disable"\n').tracers.map((t) => t.id)).toEqual(['default']);
    expect(parse('[webhook.w]\nurl = "http://h/"\nevents = "*"\n').tracers).toEqual([]);
  });
});

describe('built-in demo config and loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailtel-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the demo config parses without warnings: a lively demo source, a log and a console tracer, no OTLP push', () => {
    const c = parseConfig(demoConfigText('/tmp/mailtel-demo'), DEMO_FILE);
    expect(c.warnings).toEqual([]);
    expect(c.sources.map((s) => [s.type, 'rate' in s ? s.rate : 0])).toEqual([['demo', 40]]);
    expect(c.tracers.map((t) => [t.id, t.type, t.level])).toEqual([
      ['log', 'log', 'info'],
      ['console', 'console', 'warn'],
    ]);
    expect(c.tracers[0]).toMatchObject({ path: '/tmp/mailtel-demo' });
    expect(c.metrics.otel).toEqual({ transport: 'disable' });
  });

  it('a temp directory with quotes and backslashes survives the TOML round trip', () => {
    const odd = 'C:\\Temp\\"mail tel"';
    expect(parseConfig(demoConfigText(odd), DEMO_FILE).tracers[0]).toMatchObject({ path: odd });
  });

  it('uses --config, else ./mailtel.toml, else the demo', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const demo = loadConfig({ cwd: empty });
    expect(demo.file).toBe(DEMO_FILE);
    expect(demo.tracers[0]).toMatchObject({ type: 'log', path: join(tmpdir(), 'mailtel-demo') });

    writeFileSync(join(dir, 'mailtel.toml'), '[source.r]\ntype = "replay"\npath = "a.jsonl"\n');
    const local = loadConfig({ cwd: dir });
    expect(local.file).toBe('mailtel.toml');
    expect(local.sources[0]).toMatchObject({ type: 'replay', path: 'a.jsonl' });

    writeFileSync(join(dir, 'other.toml'), '[source.d]\ntype = "demo"\nrate = 3\n');
    const explicit = loadConfig({ cwd: dir, file: 'other.toml' });
    expect(explicit.file).toBe('other.toml');
    expect(explicit.sources[0]).toMatchObject({ type: 'demo', rate: 3 });
  });

  it('a missing --config file is a ConfigError naming the file', () => {
    let err: unknown;
    try {
      loadConfig({ cwd: dir, file: 'nope.toml' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message).toBe('nope.toml: error: cannot read the config file: no such file');
    expect(formatIssue((err as ConfigError).issues[0]!)).toBe((err as ConfigError).message);
  });
});
