import { join } from 'node:path';
import { EVENTS } from './catalogue/index.js';
import { checkOtlpTarget } from './metrics/diagnose.js';
import { formatDuration } from './config/duration.js';
import { mask, maskUrl, showHeader } from './config/mask.js';
import { enabledCounters, selectedEvents } from './config/selection.js';
import type { SourceAuth } from './sources/auth-config.js';
import { formatIssue, type Config, type SourceConfig, type TracerConfig, type WebhookConfig } from './config/types.js';

const ROTATE_SUFFIX = { daily: '.YYYY-MM-DD', hourly: '.YYYY-MM-DDTHH', minutely: '.YYYY-MM-DDTHH:MM', never: '' } as const;

/** Pads columns to a common width; the last column is not padded. */
function table(rows: string[][], indent = '  '): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');
const headerList = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => showHeader(k, v)).join(', ');

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

function tracerTarget(t: TracerConfig): { target: string; extra: string[] } {
  switch (t.type) {
    case 'log':
      return {
        target: join(t.path, t.prefix + ROTATE_SUFFIX[t.rotate]),
        extra: [`rotate ${t.rotate}`, t.ansi ? 'ansi' : 'no ansi', t.multiline ? 'multi-line' : 'single-line'],
      };
    case 'console':
      return { target: 'stderr', extra: [t.ansi ? 'ansi' : 'no ansi', t.multiline ? 'multi-line' : 'single-line', t.buffered ? 'buffered' : 'unbuffered'] };
    case 'journal':
      return { target: 'journald', extra: [] };
    case 'otel': {
      const exporters = [t.logExporter ? 'logs' : '', t.spanExporter ? 'spans' : ''].filter(Boolean).join('+') || 'nothing';
      const extra = [`exports ${exporters}`, `throttle ${formatDuration(t.throttleMs)}`, `timeout ${formatDuration(t.timeoutMs)}`];
      if (t.transport === 'http') extra.push(t.protocol);
      if (Object.keys(t.headers).length) extra.push(`headers ${headerList(t.headers)}`);
      return { target: `${t.transport} ${t.endpoint ? maskUrl(t.endpoint) : '(exporter default endpoint)'}`, extra };
    }
  }
}

function webhookExtra(w: WebhookConfig): string[] {
  const extra = [`throttle ${formatDuration(w.throttleMs)}`, `timeout ${formatDuration(w.timeoutMs)}`, `discard-after ${formatDuration(w.discardAfterMs)}`];
  extra.push(w.signatureKey ? `signed (key ${mask(w.signatureKey)})` : 'unsigned');
  if (w.auth) extra.push('token' in w.auth ? `bearer ${mask(w.auth.token)}` : `basic ${w.auth.username}:${mask(w.auth.secret)}`);
  if (Object.keys(w.headers).length) extra.push(`headers ${headerList(w.headers)}`);
  if (w.allowInvalidCerts) extra.push('invalid certs allowed');
  return extra;
}

function sinkLines(config: Config): string[] {
  const rows = [['subscriber', 'type', 'level', 'lossy', 'enabled', 'events', 'target']];
  const extras: string[][] = [];
  for (const t of config.tracers) {
    const n = selectedEvents(t.events, t.level, t.type, config.levelOverrides).size;
    const { target, extra } = tracerTarget(t);
    rows.push([`t_${t.id}`, t.type, t.level, yesNo(t.lossy), yesNo(t.enable), String(n), target]);
    extras.push([...extra, `queue ${t.queueSize}`, ...(t.implicit ? ['implicit: the file defines no tracer and no webhook'] : [])]);
  }
  for (const w of config.webhooks) {
    const n = selectedEvents(w.events, undefined, 'webhook', config.levelOverrides).size;
    rows.push([`w_${w.id}`, 'webhook', '(any)', yesNo(w.lossy), yesNo(w.enable), String(n), maskUrl(w.url)]);
    extras.push([...webhookExtra(w), `queue ${w.queueSize}`]);
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
      : `${o.transport} ${o.endpoint ? maskUrl(o.endpoint) : '(exporter default endpoint)'}, every ${formatDuration(o.intervalMs)}, timeout ${formatDuration(o.timeoutMs)}` +
        (o.transport === 'http' ? `, ${o.protocol}` : '') +
        (Object.keys(o.headers).length ? `, headers ${headerList(o.headers)}` : '');
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
  out.push('', `HTTP listener: ${config.http.listen ?? 'off'}`);
  if (config.levelOverrides.size) {
    out.push('', `Level overrides (${config.levelOverrides.size})`);
    out.push(...table([...config.levelOverrides].map(([name, level]) => [name, level])));
  }
  out.push('', `Warnings (${config.warnings.length})`);
  out.push(...(config.warnings.length ? config.warnings.map((w) => `  ${formatIssue(w)}`) : ['  none']));
  return out.join('\n') + '\n';
}
