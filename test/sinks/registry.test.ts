import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { configuredSinks, SINK_KINDS } from '../../src/sinks/registry.js';

const deps = { consoleOut: process.stderr, serviceVersion: 'test' };

describe('the sink registry', () => {
  it('names each type once across kinds', () => {
    const aliases = SINK_KINDS.flatMap((k) => k.aliases);
    expect(new Set(aliases).size).toBe(aliases.length);
    expect(SINK_KINDS.map((k) => k.name)).toEqual(['log', 'console', 'journal', 'otel', 'webhook']);
  });

  it('gives each configured sink the subscriber policy of its kind', () => {
    const c = parseConfig(
      [
        '[tracer.l]', 'type = "log"', 'path = "/tmp/x"', 'queue-size = 5000',
        '[tracer.c]', 'type = "stderr"', 'level = "warn"',
        '[tracer.o]', 'type = "open-telemetry"', 'transport = "grpc"', 'throttle = "2s"', 'lossy = true', 'queue-size = 900',
        '[webhook.w]', 'url = "https://h/x"', 'events = ["*"]', 'discard-after = "1m"', 'throttle = "3s"',
      ].join('\n'),
      'p.toml',
    );
    const policies = configuredSinks(c).map(({ kind, cfg }) => ({ kind: kind.name, id: cfg.id, ...kind.policy(cfg) }));
    expect(policies).toEqual([
      { kind: 'log', id: 'l', idPrefix: 't_', level: 'info', batchSize: 1024, throttleMs: 0, discardAfterMs: 0, lossy: false, queueSize: 5000, errorEvent: 'telemetry.log-error' },
      { kind: 'console', id: 'c', idPrefix: 't_', level: 'warn', batchSize: 256, throttleMs: 0, discardAfterMs: 0, lossy: false, queueSize: 32768, errorEvent: undefined },
      { kind: 'otel', id: 'o', idPrefix: 't_', level: 'info', batchSize: 900, throttleMs: 2000, discardAfterMs: 0, lossy: true, queueSize: 900, errorEvent: 'telemetry.otel-exporter-error' },
      { kind: 'webhook', id: 'w', idPrefix: 'w_', level: undefined, batchSize: 32768, throttleMs: 3000, discardAfterMs: 60_000, lossy: false, queueSize: 32768, errorEvent: 'telemetry.webhook-error' },
    ]);
  });

  it('journal builds; a webhook brings its own subscriber', async () => {
    const c = parseConfig('[tracer.j]\ntype = "journal"\n[webhook.w]\nurl = "https://h/x"\nevents = ["*"]\n', 'p.toml');
    const [journal, webhook] = configuredSinks(c);
    await expect(journal!.kind.build(journal!.cfg, deps)).resolves.toMatchObject({ type: 'journal', target: '/run/systemd/journal/socket' });
    // A webhook brings its own subscriber (Stalwart's delivery loop) instead of a built Sink.
    expect(webhook!.kind.subscribe).toBeTypeOf('function');
  });
});
