import { EVENTS } from './catalogue/index.js';
import { enabledCounters, selectedEvents } from './catalogue/selection.js';
import { httpCheckLines } from './http/describe.js';
import { formatDuration } from './config/duration.js';
import { mask, maskUrl, showHeaders } from './config/mask.js';
import type { TracerConfig } from './config/sinks.js';
import { formatIssue } from './config/types.js';
import type { SourceAuth } from './sources/auth-config.js';
import type { SourceConfig } from './sources/config.js';
import type { Config } from './load-config.js';
import { displayEndpoint } from './otlp/endpoint.js';
import { checkOtlpTarget } from './otlp/hints.js';
import { configuredSinks } from './sinks/registry.js';

/** Pads columns to a common width; the last column is not padded. */
function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function sourceAuth(a: SourceAuth | undefined): string {
  if (a === undefined) return 'no auth';
  return 'token' in a ? `bearer ${mask(a.token)}` : `basic ${a.username}:${mask(a.secret)}`;
}

function sourceTarget(s: SourceConfig): string {
  switch (s.type) {
    case 'demo':
      return `${s.rate} events/s, ${s.seed === undefined ? 'random seed' : `seed ${s.seed}`}`;
    case 'replay':
      return `${s.path} (${s.speed === 0 ? 'as fast as possible' : `speed ${s.speed}`}${s.restamp ? ', restamp' : ''}${s.loop ? ', loop' : ''})`;
    case 'stalwart':
      return `${maskUrl(s.url)} (${sourceAuth(s.auth)}, api ${s.api}${s.metrics ? `, metrics every ${formatDuration(s.metricsIntervalMs)}` : ', no metrics'}${s.allowInvalidCerts ? ', invalid certs allowed' : ''})`;
    case 'webhook':
      return `listens on ${s.listen}${s.path} (${s.signatureKey ? `signed (key ${mask(s.signatureKey)})` : 'unsigned'}${s.auth ? `, ${sourceAuth(s.auth)}` : ''}, max body ${s.maxBodyBytes} bytes)`;
  }
}

function sinkLines(config: Config): string[] {
  const rows = [['subscriber', 'type', 'level', 'lossy', 'enabled', 'events', 'target']];
  const extras: string[][] = [];
  for (const { kind, cfg } of configuredSinks(config)) {
    const p = kind.policy(cfg);
    const n = selectedEvents(cfg.events, p.level, kind.name, config.levelOverrides).size;
    const { target, extra } = kind.describe(cfg);
    rows.push([p.idPrefix + cfg.id, kind.name, p.level ?? '(any)', yesNo(cfg.lossy), yesNo(cfg.enable), String(n), target]);
    const implicit = (cfg as TracerConfig).implicit ? ['implicit: the file defines no tracer and no webhook'] : [];
    extras.push([...extra, `queue ${cfg.queueSize}`, ...implicit]);
  }
  const lines = table(rows);
  const out = [lines[0]!];
  lines.slice(1).forEach((l, i) => out.push(l, `      ${extras[i]!.join(', ')}`));
  return out;
}

function metricsLines(config: Config): string[] {
  const m = config.metrics;
  const o = m.otel;
  const otlp =
    o.transport === 'disable'
      ? 'disabled'
      : `${o.transport} ${displayEndpoint(o)}, every ${formatDuration(o.intervalMs)}, timeout ${formatDuration(o.timeoutMs)}` +
        (o.transport === 'http' ? `, ${o.protocol}` : '') +
        (Object.keys(o.headers).length ? `, headers ${showHeaders(o.headers)}` : '');
  const p = m.prometheus;
  const prom = !p.enable
    ? 'off'
    : `on${config.http.listen ? ` at http://${config.http.listen}/metrics/prometheus` : ' (no http.listen: not served)'}` +
      (p.username !== undefined && p.secret !== undefined ? `, basic auth ${p.username}:${mask(p.secret)}` : ', no auth');
  const counters = EVENTS.filter((e) => e.counter).length;
  const hint = o.transport === 'disable' ? undefined : checkOtlpTarget(o);
  return table([
    ['OTLP push', otlp],
    ...(hint ? [['  hint', hint] as [string, string]] : []),
    ['Prometheus', prom],
    ['Counters', `${enabledCounters(m.disabledEvents).length} of ${counters} enabled`],
  ]);
}

/** `mailtel check`: the resolved pipeline, with every secret masked. */
export function renderCheck(config: Config): string {
  const out = [`mailtel check: ${config.file}`, ''];
  out.push(`Sources (${config.sources.length})`);
  if (config.sources.length === 0) out.push('  none');
  else out.push(...table(config.sources.map((s) => [s.id, s.type, sourceTarget(s)])));
  out.push('', `Sinks (${config.tracers.length + config.webhooks.length})`, ...sinkLines(config));
  out.push('', 'Metrics', ...metricsLines(config));
  out.push('', ...httpCheckLines(config.http, config.metrics.prometheus.enable));
  if (config.levelOverrides.size) {
    out.push('', `Level overrides (${config.levelOverrides.size})`);
    out.push(...table([...config.levelOverrides].map(([name, level]) => [name, level])));
  }
  out.push('', `Warnings (${config.warnings.length})`);
  out.push(...(config.warnings.length ? config.warnings.map((w) => `  ${formatIssue(w)}`) : ['  none']));
  return out.join('\n') + '\n';
}
