import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { formatIssue } from '../../src/config/types.js';
import type { WebhookConfig } from '../../src/sinks/webhook/config.js';

// Config edges where Stalwart v0.15.5 decides (telemetry-spec docs/stalwart.md §0), input → exact output.

const SOURCE = 'source.demo.type = "demo"\n';
const load = (text: string) => parseConfig(SOURCE + text, 'mailtel.toml');
/** The warnings, less "not built yet" (a webhook until delivery lands: test/e2e/check-inert.test.ts). */
const warnings = (text: string) => load(text).warnings.map(formatIssue).filter((w) => !/ is not built yet/.test(w));

describe('the implicit console tracer', () => {
  it('is added when no tracer and no webhook survives: every tracer enable = false', () => {
    const c = load('[tracer.file]\ntype = "log"\npath = "/var/log/x"\nenable = false\n');
    expect(c.tracers.map((t) => [t.id, t.type, t.enable, t.implicit ?? false])).toEqual([
      ['file', 'log', false, false],
      ['default', 'console', true, true],
    ]);
  });

  it('is added when the only tracer is skipped (unknown type), not when a webhook survives', () => {
    expect(load('[tracer.x]\ntype = "syslog"\n').tracers.map((t) => t.id)).toEqual(['default']);
    const c = load('[tracer.x]\ntype = "syslog"\n[webhook.w]\nurl = "https://h/hook"\nevents = ["*"]\n');
    expect([c.tracers.map((t) => t.id), c.webhooks.map((w) => w.id)]).toEqual([[], ['w']]);
  });
});

describe('ids taken in sorted order, as Stalwart\'s sorted config map', () => {
  it('of two console tracers the first by id is kept, whatever the file order', () => {
    const text = '[tracer.zeta]\ntype = "console"\n[tracer.alpha]\ntype = "stdout"\n';
    const c = load(text);
    expect(c.tracers.map((t) => t.id)).toEqual(['alpha']);
    expect(warnings(text)).toEqual(['mailtel.toml:3:1: warning: tracer.zeta: only one console tracer may exist (tracer.alpha is used); tracer skipped']);
  });

  it('an enabled console tracer wins over a disabled one whatever the ids; among enabled ones the first by id', () => {
    const c = load('[tracer.a]\ntype = "console"\nenable = false\n[tracer.c]\ntype = "console"\n[tracer.b]\ntype = "console"\n');
    expect(c.tracers.map((t) => t.id)).toEqual(['b']);
  });
});

describe('zero durations are refused, as Stalwart refuses them: a warning naming the line, the default used', () => {
  it('webhook throttle, discard-after and timeout', () => {
    const text = '[webhook.w]\nurl = "https://h/hook"\nevents = ["*"]\nthrottle = "0s"\ndiscard-after = 0\ntimeout = "0ms"\n';
    expect(warnings(text)).toEqual([
      'mailtel.toml:5:1: warning: webhook.w.throttle: 0 is refused, as Stalwart refuses a zero duration; the default 1s is used',
      'mailtel.toml:6:1: warning: webhook.w.discard-after: 0 is refused, as Stalwart refuses a zero duration; the default 5m is used',
      'mailtel.toml:7:1: warning: webhook.w.timeout: 0 is refused, as Stalwart refuses a zero duration; the default 30s is used',
    ]);
    const w = load(text).webhooks[0]!;
    expect([w.throttleMs, w.discardAfterMs, w.timeoutMs]).toEqual([1000, 300_000, 30_000]);
  });

  it('open-telemetry tracer throttle and timeout, metrics interval', () => {
    const text =
      '[tracer.o]\ntype = "open-telemetry"\ntransport = "grpc"\nthrottle = "0m"\ntimeout = 0\n' +
      '[metrics.open-telemetry]\ntransport = "grpc"\ninterval = "0s"\n';
    expect(warnings(text)).toEqual([
      'mailtel.toml:5:1: warning: tracer.o.throttle: 0 is refused, as Stalwart refuses a zero duration; the default 1s is used',
      'mailtel.toml:6:1: warning: tracer.o.timeout: 0 is refused, as Stalwart refuses a zero duration; the default 10s is used',
      'mailtel.toml:9:1: warning: metrics.open-telemetry.interval: 0 is refused, as Stalwart refuses a zero duration; the default 1m is used',
    ]);
    const c = load(text);
    expect(c.tracers[0]).toMatchObject({ throttleMs: 1000, timeoutMs: 10_000 });
    expect(c.metrics.otel).toMatchObject({ intervalMs: 60_000 });
  });
});

describe('auth.username without auth.secret (or the reverse) is a warning, as in Stalwart', () => {
  it('Basic is skipped and auth.token (Bearer) used when set', () => {
    const text = '[webhook.w]\nurl = "https://h/hook"\nevents = ["*"]\nauth.username = "ops"\nauth.token = "t0k3n"\n';
    expect(warnings(text)).toEqual([
      'mailtel.toml:5:1: warning: webhook.w.auth.username: auth.username without auth.secret: Basic auth is skipped, as in Stalwart; auth.token (Bearer) is used',
    ]);
    expect((load(text).webhooks[0] as WebhookConfig).auth).toEqual({ token: 't0k3n' });
  });

  it('without auth.token no Authorization header is sent', () => {
    const text = '[webhook.w]\nurl = "https://h/hook"\nevents = ["*"]\nauth.secret = "s3cret"\n';
    expect(warnings(text)).toEqual([
      'mailtel.toml:5:1: warning: webhook.w.auth.secret: auth.secret without auth.username: Basic auth is skipped, as in Stalwart; no Authorization header is sent (auth.token is not set)',
    ]);
    expect((load(text).webhooks[0] as WebhookConfig).auth).toBeUndefined();
  });
});

describe('type names', () => {
  it('type = "LOG" is accepted as log, with a warning that Stalwart (case-sensitive) would reject it', () => {
    const text = '[tracer.f]\ntype = "LOG"\npath = "/var/log/mail"\n';
    expect(load(text).tracers.map((t) => [t.id, t.type])).toEqual([['f', 'log']]);
    expect(warnings(text)).toEqual([
      'mailtel.toml:3:1: warning: tracer.f.type: Stalwart reads type names case-sensitively: it would skip this tracer as an unknown type; mailtel reads it as "log"',
    ]);
    expect(warnings('[tracer.f]\ntype = "log"\npath = "/var/log/mail"\n')).toEqual([]);
  });
});
