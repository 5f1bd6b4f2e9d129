import type { Level, LevelSetting } from '../catalogue/types.js';
import type { Pattern } from '../catalogue/patterns.js';
import type { StalwartSourceConfig } from '../sources/stalwart/config.js';
import type { WebhookSourceConfig } from '../sources/webhook-intake/config.js';

export type { StalwartSourceConfig, WebhookSourceConfig };

/** Where a key was found, for messages: `file:line:col key`. */
export interface KeyPlace {
  file: string;
  line: number;
  col: number;
  key: string;
}

export interface ConfigIssue extends KeyPlace {
  severity: 'error' | 'warning';
  message: string;
}

/** Which catalogue events a subscriber takes before the level filter. */
export interface EventSelection {
  /** v0.15: `disabled-events`; v0.16: `events` with `events-policy`. */
  policy: 'include' | 'exclude';
  patterns: Pattern[];
}

export interface OtelHttpSettings {
  transport: 'grpc' | 'http';
  /** For http: `protobuf` (default) or `json` (mailtel key `protocol`). */
  protocol: 'protobuf' | 'json';
  endpoint?: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

interface TracerBase {
  id: string;
  enable: boolean;
  level: LevelSetting;
  lossy: boolean;
  events: EventSelection;
  /** mailtel: events held per subscriber before backpressure (lossy: before dropping). */
  queueSize: number;
  place: KeyPlace;
  /** Stalwart's fallback console tracer, added because the file defines no tracer and no webhook. */
  implicit?: boolean;
}

export interface LogTracerConfig extends TracerBase {
  type: 'log';
  path: string;
  prefix: string;
  rotate: 'daily' | 'hourly' | 'minutely' | 'never';
  ansi: boolean;
  multiline: boolean;
}

export interface ConsoleTracerConfig extends TracerBase {
  type: 'console';
  ansi: boolean;
  multiline: boolean;
  buffered: boolean;
}

export interface JournalTracerConfig extends TracerBase {
  type: 'journal';
}

export interface OtelTracerConfig extends TracerBase, OtelHttpSettings {
  type: 'otel';
  throttleMs: number;
  logExporter: boolean;
  spanExporter: boolean;
}

export type TracerConfig = LogTracerConfig | ConsoleTracerConfig | JournalTracerConfig | OtelTracerConfig;

export interface WebhookConfig {
  id: string;
  enable: boolean;
  url: string;
  events: EventSelection;
  timeoutMs: number;
  throttleMs: number;
  discardAfterMs: number;
  signatureKey?: string;
  headers: Record<string, string>;
  auth?: { username: string; secret: string } | { token: string };
  allowInvalidCerts: boolean;
  lossy: boolean;
  queueSize: number;
  place: KeyPlace;
}

export interface MetricsConfig {
  otel: (OtelHttpSettings & { intervalMs: number }) | { transport: 'disable' };
  prometheus: { enable: boolean; username?: string; secret?: string };
  /** Patterns removed from the counter set. */
  disabledEvents: Pattern[];
}

export interface DemoSourceConfig {
  id: string;
  type: 'demo';
  /** Events per second (default 50). */
  rate: number;
  /** PRNG seed for deterministic runs (default: random). */
  seed?: number;
  place: KeyPlace;
}

export interface ReplaySourceConfig {
  id: string;
  type: 'replay';
  path: string;
  /** 1 = original pacing, 0 = as fast as possible (default 1). */
  speed: number;
  /** Re-stamp events to the present instead of keeping their createdAt (default false). */
  restamp: boolean;
  /** Start again from the top at end of file (default false). */
  loop: boolean;
  place: KeyPlace;
}

export type SourceConfig = DemoSourceConfig | ReplaySourceConfig | StalwartSourceConfig | WebhookSourceConfig;

export interface HttpListenerConfig {
  /** `host:port`; unset means no listener. */
  listen?: string;
}

export interface Config {
  /** The file read, or `(built-in demo)`. */
  file: string;
  tracers: TracerConfig[];
  webhooks: WebhookConfig[];
  metrics: MetricsConfig;
  sources: SourceConfig[];
  http: HttpListenerConfig;
  /** `tracing.level.<event>` overrides. */
  levelOverrides: Map<string, LevelSetting>;
  /** Warnings found while loading (unknown keys, skipped tracers...). Errors throw ConfigError. */
  warnings: ConfigIssue[];
}

export class ConfigError extends Error {
  constructor(readonly issues: ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
  }
}

/** `file:line:col: severity: key: message`; line 0 (no position) and an empty key are left out. */
export function formatIssue(i: ConfigIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.col}` : i.file;
  return `${where}: ${i.severity}: ${i.key ? `${i.key}: ` : ''}${i.message}`;
}

export type { Level };
