import type { SinkConfig, TracerConfig } from '../config/sinks.js';
import { consoleKind } from './console/index.js';
import { journalKind } from './journal/index.js';
import type { SinkKind } from './kind.js';
import { logKind } from './log/index.js';
import { otelKind } from './otel/index.js';
import { webhookKind } from './webhook/index.js';

/**
 * Every sink kind, one line each. The config loader reads sections through it, the runtime
 * builds sinks and asks their policy through it, `mailtel check` describes them through it.
 * Adding a kind: its folder under src/sinks/<kind>/ and one line here (docs/architecture.md).
 */
export const SINK_KINDS: readonly SinkKind<any>[] = [
  logKind,
  consoleKind,
  journalKind,
  otelKind,
  webhookKind,
];

const TRACER_KINDS = new Map(SINK_KINDS.filter((k) => k.section === 'tracer').map((k) => [k.name, k]));

/** The kind of a config from `Config.tracers` (by its `type`) or `Config.webhooks`. */
export function kindOf(section: 'tracer' | 'webhook', cfg: SinkConfig): SinkKind<any> {
  const type = section === 'tracer' ? (cfg as TracerConfig).type : section;
  const kind = section === 'tracer' ? TRACER_KINDS.get(type) : SINK_KINDS.find((k) => k.section === section);
  if (!kind) throw new Error(`no sink kind for ${section} type ${type}`);
  return kind;
}

/** Every configured sink with its kind: the tracers, then the webhooks (the order of the status rows). */
export function configuredSinks(config: { tracers: readonly SinkConfig[]; webhooks: readonly SinkConfig[] }): { section: 'tracer' | 'webhook'; kind: SinkKind<any>; cfg: SinkConfig }[] {
  const tracers = config.tracers.map((cfg) => ({ section: 'tracer' as const, kind: kindOf('tracer', cfg), cfg }));
  const webhooks = config.webhooks.map((cfg) => ({ section: 'webhook' as const, kind: kindOf('webhook', cfg), cfg }));
  return [...tracers, ...webhooks];
}
