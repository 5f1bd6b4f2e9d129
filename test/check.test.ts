import { describe, expect, it } from 'vitest';
import { renderCheck } from '../src/check.js';
import { demoConfigText, DEMO_FILE } from '../src/config/demo.js';
import { parseConfig } from '../src/load-config.js';
import { mask, maskUrl } from '../src/config/mask.js';
import { selectedEvents } from '../src/catalogue/selection.js';
import { ConfigError } from '../src/config/types.js';

const SECRETS = ['sig-key-very-secret', 'bobsecret123', 'tokentokentoken', 'supersecrettoken', 'promsecret99', 'hunter2hunter2', 'qsecret1234'];

const FULL = `
http.listen = "127.0.0.1:9090"
tracing.level."auth.success" = "warn"
[source.live]
type = "stalwart"
url = "https://admin:hunter2hunter2@mail.example.com"
[source.r]
type = "replay"
path = "events.jsonl"
speed = 0
loop = true
[tracer.otel]
type = "otel"
transport = "http"
endpoint = "http://127.0.0.1:4318/v1/logs"
headers = ["Authorization: Bearer supersecrettoken", "X-Env: prod"]
[webhook.basic]
url = "https://hooks.example.com/in?token=qsecret1234"
events-policy = "exclude"
signature-key = "sig-key-very-secret"
auth.username = "bob"
auth.secret = "bobsecret123"
[webhook.bearer]
url = "https://hooks.example.com/b"
events = ["auth.*"]
auth.token = "tokentokentoken"
lossy = true
[metrics.open-telemetry]
transport = "http"
endpoint = "https://otel.example.com/v1/metrics"
interval = "30s"
protocol = "json"
[metrics.prometheus]
enable = true
auth.username = "prom"
auth.secret = "promsecret99"
`;

describe('mailtel check', () => {
  it('renders the built-in demo pipeline with its event counts', () => {
    const c = parseConfig(demoConfigText('/tmp/mailtel-demo'), DEMO_FILE);
    const out = renderCheck(c);
    const [log, con] = c.tracers;
    const nLog = selectedEvents(log!.events, log!.level, 'log', c.levelOverrides).size;
    const nCon = selectedEvents(con!.events, con!.level, 'console', c.levelOverrides).size;
    expect(out).toContain('mailtel check: (built-in demo)');
    expect(out).toMatch(/^ {2}demo +demo +40 events\/s, random seed$/m);
    expect(out).toMatch(new RegExp(`^ {2}t_log +log +info +no +yes +${nLog} +/tmp/mailtel-demo/stalwart\\.YYYY-MM-DD$`, 'm'));
    expect(out).toMatch(new RegExp(`^ {2}t_console +console +warn +no +yes +${nCon} +stderr$`, 'm'));
    expect(out).toMatch(/^ {2}OTLP push +disabled$/m);
    expect(out).toMatch(/^ {2}Prometheus +off$/m);
    expect(out).toContain('HTTP listener: off');
    expect(out).toContain('Warnings (0)');
  });

  it('says when the console tracer is the implicit one', () => {
    const out = renderCheck(parseConfig('source.d.type = "demo"\n', 'm.toml'));
    expect(out).toMatch(/^ {2}t_default +console +info +no +yes +\d+ +stderr$/m);
    expect(out).toContain('implicit: the file defines no tracer and no webhook');
  });

  it('shows sources, webhooks, metrics and overrides, with every secret masked', () => {
    const c = parseConfig(FULL, 'mailtel.toml');
    const out = renderCheck(c);
    for (const s of SECRETS) expect(out).not.toContain(s);
    expect(out).toMatch(/^ {2}live +stalwart +https:\/\/mail\.example\.com \(basic admin:hu\*{4}, api auto, metrics every 30s\)$/m);
    expect(out).toMatch(/^ {2}r +replay +events\.jsonl \(as fast as possible, loop\)$/m);
    expect(out).toContain('headers Authorization: Be****, X-Env: prod');
    expect(out).toMatch(/w_basic +webhook +\(any\) +no +yes +687 +https:\/\/hooks\.example\.com\/in\?token=qs\*{4}/);
    expect(out).toContain('signed (key si****), basic bob:bo****');
    expect(out).toMatch(/w_bearer +webhook +\(any\) +yes +yes +\d+ +https:\/\/hooks\.example\.com\/b/);
    expect(out).toContain('bearer to****');
    expect(out).toMatch(/^ {2}OTLP push +http https:\/\/otel\.example\.com\/v1\/metrics, every 30s, timeout 10s, json$/m);
    expect(out).toMatch(/^ {2}Prometheus +on at http:\/\/127\.0\.0\.1:9090\/metrics\/prometheus, basic auth prom:pr\*{4}$/m);
    expect(out).toContain('HTTP listener: http://127.0.0.1:9090');
    expect(out).toMatch(/^ {2}auth\.success +warn$/m);
  });

  it('keeps secrets out of error messages', () => {
    const text = '[webhook.w]\nurl = "http://h/"\nevents = "*"\nsignature-key = 123456789\nauth.username = "u"\nauth.secret = ["bobsecret123"]\nheaders = ["Authorization Bearer supersecrettoken"]\n[metrics.prometheus]\nauth.username = "p"\nauth.secret = true\n';
    let message = '';
    try {
      parseConfig('source.d.type = "demo"\n' + text, 'mailtel.toml');
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      message = e.message;
    }
    expect(message.split('\n')).toEqual([
      'mailtel.toml:5:1: error: webhook.w.signature-key: expected a string; got ****',
      'mailtel.toml:7:1: error: webhook.w.auth.secret: expected a string; got ****',
      'mailtel.toml:8:1: error: webhook.w.headers: item 1: expected "Name: value" (no colon found)',
      'mailtel.toml:11:1: error: metrics.prometheus.auth.secret: expected a string; got ****',
    ]);
    for (const s of SECRETS) expect(message).not.toContain(s);
  });

  it('mask keeps two characters of long secrets and nothing of short ones', () => {
    expect(mask('abcdefgh')).toBe('ab****');
    expect(mask('abc')).toBe('****');
    expect(maskUrl('http://u:password1@h:8080/p?q=1&api_key=zzzzzzzz')).toBe('http://u:pa****@h:8080/p?q=1&api_key=zz****');
    expect(maskUrl('http://h/p')).toBe('http://h/p');
  });
});

describe('check: OTLP hints before any push', () => {
  it('flags HTTP aimed at the gRPC port and an HTTP endpoint without /v1/metrics', () => {
    const base = '[source.d]\ntype = "demo"\n[metrics.open-telemetry]\ntransport = ';
    expect(renderCheck(parseConfig(base + '"http"\nendpoint = "http://127.0.0.1:4317/v1/metrics"\n', 'a.toml'))).toMatch(
      /hint\s+port 4317 is the OTLP\/gRPC port: use transport = "grpc", or the OTLP\/HTTP port 4318/,
    );
    expect(renderCheck(parseConfig(base + '"http"\nendpoint = "http://collector:4318"\n', 'b.toml'))).toMatch(
      /hint\s+the OTLP\/HTTP endpoint must include the path \/v1\/metrics: http:\/\/collector:4318\/v1\/metrics/,
    );
    expect(renderCheck(parseConfig(base + '"grpc"\nendpoint = "http://collector:4317"\n', 'c.toml'))).not.toMatch(/hint/);
  });
});

describe('check names the deliberate differences from Stalwart where the config is involved', () => {
  it('a log directory that does not exist (mailtel creates it) and the OTLP/HTTP per-signal URLs', () => {
    const text =
      'source.d.type = "demo"\n[tracer.file]\ntype = "log"\npath = "/nonexistent/mailtel-logs"\n' +
      '[tracer.o]\ntype = "otel"\ntransport = "http"\nendpoint = "http://collector:4318"\n';
    const out = renderCheck(parseConfig(text, 'mailtel.toml'));
    expect(out).toContain('the directory does not exist: mailtel creates it at start (Stalwart would not: telemetry.log-error)');
    expect(out).toContain('logs to http://collector:4318/v1/logs, spans to http://collector:4318/v1/traces (Stalwart posts both to the endpoint as written)');
    expect(renderCheck(parseConfig('source.d.type = "demo"\n[tracer.file]\ntype = "log"\npath = "/tmp"\n', 'mailtel.toml'))).not.toContain('does not exist');
  });

  it('a type Stalwart would reject for its case', () => {
    const out = renderCheck(parseConfig('source.d.type = "demo"\n[tracer.c]\ntype = "Console"\n', 'mailtel.toml'));
    expect(out).toContain('mailtel.toml:3:1: warning: tracer.c.type: Stalwart reads type names case-sensitively: it would skip this tracer as an unknown type; mailtel reads it as "console"');
  });
});
