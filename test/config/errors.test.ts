import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { ConfigError, formatIssue } from '../../src/config/types.js';

const SOURCE = 'source.demo.type = "demo"\n';

/** The formatted errors of a config that must not load. */
function errors(text: string): string[] {
  try {
    parseConfig(SOURCE + text, 'mailtel.toml');
  } catch (e) {
    if (e instanceof ConfigError) return e.issues.map(formatIssue);
    throw e;
  }
  throw new Error('the config loaded without errors');
}

function warnings(text: string): string[] {
  return parseConfig(SOURCE + text, 'mailtel.toml').warnings.map(formatIssue);
}

describe('errors name file:line:col, the full key and what was expected', () => {
  it('a bad choice', () => {
    expect(errors('[tracer.log]\ntype = "log"\npath = "/x"\nrotate = "weekly"\n')).toEqual([
      'mailtel.toml:5:1: error: tracer.log.rotate: expected one of daily, hourly, minutely, never; got "weekly"',
    ]);
  });

  it('a wrong value type', () => {
    expect(errors('tracer.c.type = "console"\ntracer.c.ansi = "yes"\ntracer.c.lossy = 1\n')).toEqual([
      'mailtel.toml:3:1: error: tracer.c.ansi: expected true or false; got "yes"',
      'mailtel.toml:4:1: error: tracer.c.lossy: expected true or false; got 1',
    ]);
    expect(errors('[tracer.x]\ntype = 3\n')).toEqual(['mailtel.toml:3:1: error: tracer.x.type: expected a string such as "log" or "console"; got a number']);
  });

  it('a bad level name', () => {
    expect(errors('[tracer.c]\ntype = "console"\n  level = "verbose"\n')).toEqual([
      'mailtel.toml:4:3: error: tracer.c.level: expected one of trace, debug, info, warn, error, disable; got "verbose"',
    ]);
  });

  it('a bad duration', () => {
    expect(errors('[webhook.w]\nurl = "http://h/"\nevents = "*"\nthrottle = "1 week"\ntimeout = "0s"\n')).toEqual([
      'mailtel.toml:5:1: error: webhook.w.throttle: expected a duration such as "500ms", "1s", "5m", "1h", "1d" or an integer of milliseconds; got "1 week"',
    ]);
    // A zero duration is refused as Stalwart refuses it: a warning, the default used (config/stalwart-edges.test.ts).
    expect(warnings('[webhook.w]\nurl = "http://h/"\nevents = "*"\ntimeout = "0s"\n')).toEqual([
      'mailtel.toml:5:1: warning: webhook.w.timeout: 0 is refused, as Stalwart refuses a zero duration; the default 30s is used',
    ]);
  });

  it('an unknown event name and a bad wildcard in event lists', () => {
    expect(errors('[tracer.c]\ntype = "console"\ndisabled-events = ["auth.success", "auth.nope", "a*b"]\n')).toEqual([
      'mailtel.toml:4:1: error: tracer.c.disabled-events: "auth.nope" is not a known event name',
      'mailtel.toml:4:1: error: tracer.c.disabled-events: "a*b" is not a valid pattern: use *, prefix* or *suffix',
    ]);
    expect(errors('metrics.disabled-events = ["**"]\n')).toEqual([
      'mailtel.toml:2:1: error: metrics.disabled-events: "**" is not a valid pattern: use *, prefix* or *suffix',
    ]);
  });

  it('tracing.level: unknown event and bad level', () => {
    expect(errors('tracing.level."auth.nope" = "debug"\ntracing.level.auth.success = "loud"\n')).toEqual([
      'mailtel.toml:2:1: error: tracing.level."auth.nope": "auth.nope" is not a known event name',
      'mailtel.toml:3:1: error: tracing.level.auth.success: expected one of trace, debug, info, warn, error, disable; got "loud"',
    ]);
  });

  it('headers: an invalid name, a missing colon', () => {
    expect(errors('[webhook.w]\nurl = "http://h/"\nevents = "*"\nheaders = ["X-Ok: 1", "Bad Name: 2"]\n')).toEqual([
      'mailtel.toml:5:1: error: webhook.w.headers: item 2: invalid header name "Bad Name"',
    ]);
    expect(errors('[tracer.o]\ntype = "otel"\ntransport = "http"\nendpoint = "http://h/"\nheaders = "Authorization Bearer abcdef"\n')).toEqual([
      'mailtel.toml:6:1: error: tracer.o.headers: item 1: expected "Name: value" (no colon found)',
    ]);
  });

  it('URLs, listen address, transports and required mailtel keys', () => {
    expect(errors('webhook.w.url = "ftp://h/"\nwebhook.w.events = "*"\n')).toEqual(['mailtel.toml:2:1: error: webhook.w.url: expected an http:// or https:// URL']);
    expect(errors('http.listen = "8080"\n')).toEqual(['mailtel.toml:2:1: error: http.listen: expected "host:port" such as "127.0.0.1:8080"; got "8080"']);
    expect(errors('metrics.open-telemetry.transport = "udp"\n')).toEqual([
      'mailtel.toml:2:1: error: metrics.open-telemetry.transport: expected one of grpc, http, disable, https, disabled; got "udp"',
    ]);
    expect(errors('[metrics.open-telemetry]\ntransport = "http"\n')).toEqual(['mailtel.toml:3:1: error: metrics.open-telemetry.endpoint: required with the http transport']);
    expect(errors('[source.r]\ntype = "replay"\n')).toEqual([
      'mailtel.toml:3:1: error: source.r.path: required for replay sources (the JSON-lines file to play)',
    ]);
    expect(errors('[source.x]\ntype = "kafka"\n')).toEqual(['mailtel.toml:3:1: error: source.x.type: expected one of demo, replay, stalwart, webhook; got "kafka"']);
    expect(errors('[source.s]\ntype = "stalwart"\n')).toEqual(['mailtel.toml:3:1: error: source.s.url: required for stalwart sources (the server base URL, such as "https://mail.example.com")']);
    expect(errors('[source.d]\ntype = "demo"\nrate = 0\nseed = 1.5\n')).toEqual([
      'mailtel.toml:4:1: error: source.d.rate: expected a number above 0; got 0',
      'mailtel.toml:5:1: error: source.d.seed: expected an integer; got 1.5',
    ]);
  });

  it('v0.15 disabled-events and v0.16 events together; a bad events-policy', () => {
    expect(errors('[tracer.c]\ntype = "console"\ndisabled-events = ["auth.*"]\nevents = ["smtp.*"]\nevents-policy = "only"\n')).toEqual([
      'mailtel.toml:4:1: error: tracer.c.disabled-events: use either disabled-events (v0.15) or events with events-policy (v0.16), not both',
      'mailtel.toml:6:1: error: tracer.c.events-policy: expected one of include, exclude; got "only"',
    ]);
  });

  it('webhook auth.username without auth.secret is a warning, as in Stalwart', () => {
    expect(warnings('[webhook.w]\nurl = "http://h/"\nevents = "*"\nauth.username = "bob"\n')).toEqual([
      'mailtel.toml:5:1: warning: webhook.w.auth.username: auth.username without auth.secret: Basic auth is skipped, as in Stalwart; no Authorization header is sent (auth.token is not set)',
    ]);
  });

  it('a key written twice and TOML syntax errors', () => {
    expect(errors('[tracer.c]\ntype = "console"\n[tracer.c]\ntype = "stdout"\n')).toEqual(['mailtel.toml:5:1: error: tracer.c.type: defined twice (first at line 3)']);
    expect(errors('[tracer.c\ntype = "console"\n')).toEqual([expect.stringMatching(/^mailtel\.toml:2:10: error: /)]);
    expect(errors('a = [1,\n  x]\n')).toEqual(['mailtel.toml:3:3: error: invalid value']);
  });

  it('collects every error of the file before throwing', () => {
    const all = errors('[tracer.a]\ntype = "log"\npath = "/x"\nrotate = 1\n[tracer.b]\ntype = "console"\nlevel = 2\n[webhook.w]\nurl = 5\nevents = "*"\n');
    expect(all).toEqual([
      'mailtel.toml:5:1: error: tracer.a.rotate: expected one of daily, hourly, minutely, never; got 1',
      'mailtel.toml:8:1: error: tracer.b.level: expected one of trace, debug, info, warn, error, disable; got 2',
      'mailtel.toml:10:1: error: webhook.w.url: expected a string; got 5',
    ]);
  });
});

describe('warnings: unknown keys and what Stalwart skips', () => {
  it('unknown keys, with their line', () => {
    expect(warnings('[tracer.c]\ntype = "console"\npath = "/x"\ncolour = true\n[metrics]\nfoo = 1\nbar = 2\n[server]\nhostname = "mx"\nport = 25\n')).toEqual([
      'mailtel.toml:4:1: warning: tracer.c.path: not a console tracer key; ignored',
      'mailtel.toml:5:1: warning: tracer.c.colour: not a console tracer key; ignored',
      'mailtel.toml:7:1: warning: metrics.foo: not a metrics key; ignored',
      'mailtel.toml:8:1: warning: metrics.bar: not a metrics key; ignored',
      'mailtel.toml:10:1: warning: server.*: not a telemetry key; ignored',
    ]);
  });

  it('tracers Stalwart skips are skipped with a warning', () => {
    const text = [
      '[tracer.a]', 'type = "syslog"',
      '[tracer.b]', 'type = "console"', 'level = "disable"',
      '[tracer.c]', 'type = "log"',
      '[tracer.d]', 'type = "stdout"',
      '[tracer.e]', 'type = "stderr"',
      '[tracer.f]', 'type = "journal"',
      '[tracer.g]', 'type = "journal"',
      '[tracer.h]', 'type = "otel"', 'transport = "udp"',
      '[tracer.i]', 'type = "otel"',
      '[tracer.j]', 'type = "otel"', 'transport = "http"',
      '[tracer.k]', 'type = "console"', 'events-policy = "include"',
      '[tracer.l]', 'path = "/nowhere"',
    ].join('\n');
    const c = parseConfig(SOURCE + text, 'mailtel.toml');
    expect(c.tracers.map((t) => t.id)).toEqual(['d', 'f']);
    // Whether journald listens at the default socket depends on the machine (test/sinks/journal covers that warning).
    expect(c.warnings.filter((w) => !w.message.includes('the journal tracer will fail')).map(formatIssue)).toEqual([
      'mailtel.toml:3:1: warning: tracer.a.type: unknown tracer type "syslog" (expected one of log, console, stdout, stderr, journal, open-telemetry, otel); tracer skipped',
      'mailtel.toml:6:1: warning: tracer.b.level: No events enabled for tracer (level is disable); tracer skipped',
      'mailtel.toml:8:1: warning: tracer.c.path: log tracers need a path (the log directory); tracer skipped',
      'mailtel.toml:12:1: warning: tracer.e: only one console tracer may exist (tracer.d is used); tracer skipped',
      'mailtel.toml:16:1: warning: tracer.g: only one journal tracer may exist (tracer.f is used); tracer skipped',
      'mailtel.toml:19:1: warning: tracer.h.transport: unsupported transport "udp" (expected grpc or http); tracer skipped',
      'mailtel.toml:21:1: warning: tracer.i.transport: open-telemetry tracers need a transport (grpc or http); tracer skipped',
      'mailtel.toml:24:1: warning: tracer.j.endpoint: the http transport needs an endpoint; tracer skipped',
      'mailtel.toml:26:1: warning: tracer.k.type: No events enabled for tracer; tracer skipped',
      'mailtel.toml:29:1: warning: tracer.l.path: tracer.l has no type key: not a tracer; ignored',
    ]);
  });

  it('an enabled console tracer wins over an earlier disabled one', () => {
    const c = parseConfig(SOURCE + '[tracer.a]\ntype = "console"\nenable = false\n[tracer.b]\ntype = "console"\n', 'mailtel.toml');
    expect(c.tracers.map((t) => t.id)).toEqual(['b']);
    expect(c.warnings.map(formatIssue)).toEqual(['mailtel.toml:3:1: warning: tracer.a: only one console tracer may exist (tracer.b is used); tracer skipped']);
  });

  it('webhooks without events, patterns matching nothing, grpc-only keys, Enterprise keys', () => {
    expect(
      warnings(
        '[webhook.w]\nurl = "http://h/"\n[webhook.v]\nurl = "http://h/"\nevents = ["nothing.*"]\n[tracer.o]\ntype = "otel"\ntransport = "grpc"\nheaders = ["A: b"]\n[metrics.alerts.x]\nenable = true\n',
      ),
    ).toEqual([
      'mailtel.toml:3:1: warning: webhook.w.url: No events enabled for webhook; webhook skipped',
      'mailtel.toml:5:1: warning: webhook.v.url: No events enabled for webhook; webhook skipped',
      'mailtel.toml:6:1: warning: webhook.v.events: "nothing.*" matches no event',
      'mailtel.toml:10:1: warning: tracer.o.headers: only used with the http transport; ignored for grpc',
      'mailtel.toml:12:1: warning: metrics.alerts.x.enable: metrics.alerts.* is an Enterprise feature mailtel does not implement; ignored',
    ]);
  });

  it('no source, and Prometheus without a listener', () => {
    expect(parseConfig('metrics.prometheus.enable = true\n', 'm.toml').warnings.map(formatIssue)).toEqual([
      'm.toml: warning: source: no source.<id> is configured: no events will flow',
      'm.toml:1:1: warning: metrics.prometheus.enable: http.listen is not set: nothing serves /metrics/prometheus',
    ]);
  });

  it('Prometheus scrape auth with only one half is ignored with a warning', () => {
    const c = parseConfig(SOURCE + 'http.listen = "127.0.0.1:9100"\n[metrics.prometheus]\nenable = true\nauth.username = "prom"\n', 'mailtel.toml');
    expect(c.metrics.prometheus).toEqual({ enable: true });
    expect(c.warnings.map(formatIssue)).toEqual(['mailtel.toml:5:1: warning: metrics.prometheus.auth.username: ignored: scrape auth needs both auth.username and auth.secret']);
  });

  it('keys under a disabled OTLP push are ignored with a warning', () => {
    expect(warnings('[metrics.open-telemetry]\nendpoint = "http://127.0.0.1:4317"\n')).toEqual([
      'mailtel.toml:3:1: warning: metrics.open-telemetry.endpoint: ignored: the OTLP metrics push is disabled (metrics.open-telemetry.transport)',
    ]);
  });
});
