import type { Pattern } from '../catalogue/patterns.js';
import { readPatterns } from '../config/event-lists.js';
import { anchorKey, type Reader } from '../config/reader.js';
import { readOtlpSettings, type OtlpSettings } from '../otlp/settings.js';

/** `metrics.*`: the OTLP push, the Prometheus scrape and which counters exist. */
export interface MetricsConfig {
  otel: (OtlpSettings & { intervalMs: number }) | { transport: 'disable' };
  prometheus: { enable: boolean; username?: string; secret?: string };
  /** Patterns removed from the counter set. */
  disabledEvents: Pattern[];
}

const OTEL = ['metrics', 'open-telemetry'];
const PROMETHEUS = ['metrics', 'prometheus'];

function readOtlpPush(r: Reader): MetricsConfig['otel'] {
  const transport = r.choice([...OTEL, 'transport'], ['grpc', 'http', 'disable'] as const, { https: 'http', disabled: 'disable' }) ?? 'disable';
  if (transport === 'disable') {
    for (const e of r.under(OTEL)) if (e.path[2] !== 'transport') r.warn(e, 'ignored: the OTLP metrics push is disabled (metrics.open-telemetry.transport)');
    r.consume(OTEL);
    return { transport: 'disable' };
  }
  const settings = readOtlpSettings(r, OTEL, transport);
  const intervalMs = r.duration([...OTEL, 'interval'], 60_000, { positive: true });
  if (transport === 'http' && !settings.endpoint && !r.has([...OTEL, 'endpoint'])) {
    r.error(anchorKey(r.get([...OTEL, 'transport'])!, [...OTEL, 'endpoint']), 'required with the http transport');
  }
  r.warnUnread(OTEL, 'metrics.open-telemetry');
  return { ...settings, intervalMs };
}

function readPrometheus(r: Reader): MetricsConfig['prometheus'] {
  const enable = r.bool([...PROMETHEUS, 'enable'], false);
  const username = r.string([...PROMETHEUS, 'auth', 'username']);
  const secret = r.string([...PROMETHEUS, 'auth', 'secret']);
  r.warnUnread(PROMETHEUS, 'metrics.prometheus');
  if ((username === undefined) !== (secret === undefined)) {
    const e = r.get([...PROMETHEUS, 'auth', username === undefined ? 'secret' : 'username'])!;
    r.warn(e, 'ignored: scrape auth needs both auth.username and auth.secret');
    return { enable };
  }
  return username !== undefined ? { enable, username, secret } : { enable };
}

/** `metrics.*` (docs/stalwart.md §2). Enterprise history and alerts are recognised and ignored with a warning. */
export function readMetrics(r: Reader): MetricsConfig {
  const otel = readOtlpPush(r);
  const prometheus = readPrometheus(r);
  const disabledEvents = readPatterns(r, ['metrics', 'disabled-events']) ?? [];
  for (const part of ['history', 'alerts']) {
    const first = r.under(['metrics', part])[0];
    if (first) r.warn(first, `metrics.${part}.* is an Enterprise feature mailtel does not implement; ignored`);
    r.consume(['metrics', part]);
  }
  r.warnUnread(['metrics'], 'metrics');
  return { otel, prometheus, disabledEvents };
}
