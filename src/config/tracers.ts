import type { LevelSetting } from '../catalogue/types.js';
import { readTracerSelection } from './event-lists.js';
import { readOtlpSettings } from './otlp.js';
import { anchorKey, type Reader } from './reader.js';
import { selectedEvents } from '../catalogue/selection.js';
import { displayKey } from './toml-lines.js';
import type { ConsoleTracerConfig, TracerConfig } from './types.js';

/** mailtel: events held per subscriber before backpressure (lossy: before dropping). */
export const DEFAULT_QUEUE_SIZE = 32768;

const TYPES: Record<string, TracerConfig['type']> = {
  log: 'log',
  console: 'console',
  stdout: 'console',
  stderr: 'console',
  journal: 'journal',
  'open-telemetry': 'otel',
  otel: 'otel',
};

const TYPE_NAMES: Record<TracerConfig['type'], string> = {
  log: 'log tracer',
  console: 'console tracer',
  journal: 'journal tracer',
  otel: 'open-telemetry tracer',
};

/** Stalwart's fallback when the file defines no tracer and no webhook (§1). */
export function implicitConsoleTracer(file: string): ConsoleTracerConfig {
  return {
    id: 'default',
    type: 'console',
    enable: true,
    level: 'info',
    lossy: false,
    events: { policy: 'exclude', patterns: [] },
    queueSize: DEFAULT_QUEUE_SIZE,
    place: { file, line: 0, col: 0, key: 'tracer.default' },
    implicit: true,
    ansi: true,
    multiline: false,
    buffered: true,
  };
}

function readTracer(r: Reader, id: string, overrides: ReadonlyMap<string, LevelSetting>): TracerConfig | undefined {
  const base = ['tracer', id];
  const typeEntry = r.get([...base, 'type'])!;
  const skip = (message: string, where: Parameters<Reader['warn']>[0] = typeEntry) => {
    r.warn(where, `${message}; tracer skipped`);
    r.consume(base);
    return undefined;
  };
  if (typeof typeEntry.value !== 'string') {
    r.error(typeEntry, `expected a string such as "log" or "console"; got a ${typeof typeEntry.value}`);
    r.consume(base);
    return undefined;
  }
  const type = TYPES[typeEntry.value.trim().toLowerCase()];
  if (!type) return skip(`unknown tracer type ${JSON.stringify(typeEntry.value)} (expected one of ${Object.keys(TYPES).join(', ')})`);

  const levelEntry = r.get([...base, 'level']);
  const common = {
    id,
    enable: r.bool([...base, 'enable'], true),
    level: r.level([...base, 'level'], 'info'),
    lossy: r.bool([...base, 'lossy'], false),
    events: readTracerSelection(r, base),
    queueSize: r.number([...base, 'queue-size'], DEFAULT_QUEUE_SIZE, { integer: true, min: 1 }),
    place: { ...r.place(typeEntry), key: displayKey(base) },
  };

  let tracer: TracerConfig;
  switch (type) {
    case 'log': {
      const path = r.string([...base, 'path']);
      tracer = {
        ...common,
        type,
        path: path ?? '',
        prefix: r.string([...base, 'prefix']) ?? 'stalwart',
        rotate: r.choice([...base, 'rotate'], ['daily', 'hourly', 'minutely', 'never'] as const) ?? 'daily',
        ansi: r.bool([...base, 'ansi'], false),
        multiline: r.bool([...base, 'multiline'], false),
      };
      if (!path && !r.has([...base, 'path'])) return skip('log tracers need a path (the log directory)', anchorKey(typeEntry, [...base, 'path']));
      if (path === '') return skip('the log directory is empty', r.get([...base, 'path']));
      break;
    }
    case 'console':
      tracer = {
        ...common,
        type,
        ansi: r.bool([...base, 'ansi'], true),
        multiline: r.bool([...base, 'multiline'], false),
        buffered: r.bool([...base, 'buffered'], true),
      };
      break;
    case 'journal':
      tracer = { ...common, type };
      break;
    case 'otel': {
      const tEntry = r.get([...base, 'transport']);
      const transport = typeof tEntry?.value === 'string' ? tEntry.value.trim().toLowerCase() : undefined;
      if (!tEntry) return skip('open-telemetry tracers need a transport (grpc or http)', anchorKey(typeEntry, [...base, 'transport']));
      if (transport !== 'grpc' && transport !== 'http') {
        const shown = typeof tEntry.value === 'string' ? JSON.stringify(tEntry.value) : String(tEntry.value);
        return skip(`unsupported transport ${shown} (expected grpc or http)`, tEntry);
      }
      const otlp = readOtlpSettings(r, base, transport);
      tracer = {
        ...common,
        ...otlp,
        type,
        throttleMs: r.duration([...base, 'throttle'], 1000),
        logExporter: r.bool([...base, 'enable', 'log-exporter'], true),
        spanExporter: r.bool([...base, 'enable', 'span-exporter'], true),
      };
      if (transport === 'http' && !otlp.endpoint && !r.has([...base, 'endpoint'])) {
        return skip('the http transport needs an endpoint', anchorKey(tEntry, [...base, 'endpoint']));
      }
      if (!tracer.logExporter && !tracer.spanExporter) r.warn(typeEntry, 'enable.log-exporter and enable.span-exporter are both false: nothing will be exported');
      break;
    }
  }
  r.warnUnread(base, TYPE_NAMES[type]);
  if (common.level === 'disable') return skip('No events enabled for tracer (level is disable)', levelEntry);
  if (selectedEvents(common.events, common.level, type, overrides).size === 0) return skip('No events enabled for tracer');
  return tracer;
}

/**
 * Every `tracer.<id>` with a `type` key (§1). Tracers Stalwart would skip (unknown type, level
 * disable, no events, missing log path, bad or missing OTel transport, a second console or
 * journal tracer) are skipped with a warning. `defined` says whether the file defines any.
 */
export function readTracers(r: Reader, overrides: ReadonlyMap<string, LevelSetting>): { tracers: TracerConfig[]; defined: boolean } {
  const tracers: TracerConfig[] = [];
  let defined = false;
  for (const id of r.idsWith('tracer', 'type', 'tracer')) {
    defined = true;
    const t = readTracer(r, id, overrides);
    if (t) tracers.push(t);
  }
  // At most one console and one journal tracer; an enabled one wins over a disabled one.
  const keep = new Set<TracerConfig>();
  for (const kind of ['console', 'journal'] as const) {
    const all = tracers.filter((t) => t.type === kind);
    const winner = all.find((t) => t.enable) ?? all[0];
    for (const t of all) {
      if (t === winner) keep.add(t);
      else r.warn(t.place, `only one ${kind} tracer may exist (${displayKey(['tracer', winner!.id])} is used); tracer skipped`);
    }
  }
  return { tracers: tracers.filter((t) => (t.type !== 'console' && t.type !== 'journal') || keep.has(t)), defined };
}
