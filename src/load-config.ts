import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isEvent } from './catalogue/index.js';
import type { LevelSetting } from './catalogue/types.js';
import { DEMO_FILE, demoConfigText } from './config/demo.js';
import { readFlatToml } from './config/flat-toml.js';
import { Reader } from './config/reader.js';
import { DEFAULT_QUEUE_SIZE, readSinks, type TracerConfig } from './config/sinks.js';
import { ConfigError, type ConfigIssue } from './config/types.js';
import { readHttp, type HttpListenerConfig } from './http/config.js';
import { readConsole, type ConsoleConfig } from './config/console.js';
import { readMetrics, type MetricsConfig } from './metrics/config.js';
import { implicitConsoleTracer } from './sinks/console/config.js';
import { SINK_KINDS } from './sinks/registry.js';
import { readSources, type SourceConfig } from './sources/config.js';
import type { WebhookConfig } from './sinks/webhook/config.js';
import { unavailableSource } from './sources/index.js';

/**
 * The whole resolved configuration. The loader lives above config/ (generic reading) and the
 * sink kinds (each reads its own keys), so neither imports the other.
 */
export interface Config {
  /** The file read, or `(built-in demo)`. */
  file: string;
  /** Each is one kind's config (src/sinks/<type>/config.ts). */
  tracers: TracerConfig[];
  webhooks: WebhookConfig[];
  metrics: MetricsConfig;
  sources: SourceConfig[];
  http: HttpListenerConfig;
  /** `[console]`: the header's banner for production hosts. */
  console?: ConsoleConfig;
  /** `tracing.level.<event>` overrides. */
  levelOverrides: Map<string, LevelSetting>;
  /** Warnings found while loading (unknown keys, skipped tracers...). Errors throw ConfigError. */
  warnings: ConfigIssue[];
}

/** `tracing.level.<event> = "<level>"` (quoted or not: Stalwart's key space is flat). */
function readLevelOverrides(r: Reader): Map<string, LevelSetting> {
  const overrides = new Map<string, LevelSetting>();
  for (const e of r.under(['tracing', 'level'])) {
    const name = e.path.slice(2).join('.');
    if (!isEvent(name)) {
      r.get(e.path);
      r.error(e, `${JSON.stringify(name)} is not a known event name`);
      continue;
    }
    overrides.set(name, r.level(e.path, 'info'));
  }
  const history = r.under(['tracing', 'history'])[0];
  if (history) r.warn(history, 'tracing.history.* is an Enterprise feature mailtel does not implement; ignored');
  r.consume(['tracing', 'history']);
  return overrides;
}

/** Sources that cannot run here: a type not built yet, a replay file that is not there. */
function warnUnavailableSources(r: Reader, sources: readonly SourceConfig[]): void {
  for (const s of sources) {
    const why = unavailableSource(s);
    if (why) r.warn(s.place, `${why}: the source will show as failing`);
  }
}

/** A replay file that is not there (relative paths from `cwd`, as the source opens them). */
function warnMissingFiles(config: Config, cwd: string): Config {
  const more: ConfigIssue[] = [];
  for (const s of config.sources) {
    if (s.type !== 'replay' || !s.path) continue;
    const problem = replayFileProblem(resolve(cwd, s.path));
    if (problem) more.push({ ...(s.pathPlace ?? s.place), severity: 'warning', message: `${JSON.stringify(s.path)}: ${problem}; the source will show as failing` });
  }
  if (more.length === 0) return config;
  const warnings = [...config.warnings, ...more].sort((a, b) => a.line - b.line || a.col - b.col);
  return { ...config, warnings };
}

function replayFileProblem(path: string): string | undefined {
  try {
    return statSync(path).isFile() ? undefined : 'not a regular file';
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'file not found' : `cannot read: ${(e as Error).message}`;
  }
}

const ROOTS = new Set(['tracer', 'tracing', 'webhook', 'metrics', 'source', 'http', 'console']);

/** Unread keys: one warning each under the telemetry roots, one per foreign top-level section. */
function warnUnknown(r: Reader): void {
  const foreign = new Map<string, number>();
  for (const e of r.unused()) {
    const root = e.path[0]!;
    if (ROOTS.has(root) || e.path.length === 1) {
      r.warn(e, 'unknown key; ignored');
      continue;
    }
    const n = foreign.get(root) ?? 0;
    foreign.set(root, n + 1);
    if (n === 0) r.warn({ line: e.line, col: e.col, key: `${root}.*` }, 'not a telemetry key; ignored');
  }
}

/** Parses TOML text; throws ConfigError naming file, line, column and key. */
export function parseConfig(text: string, file: string): Config {
  const flat = readFlatToml(text, file);
  if (flat.issues.some((i) => i.severity === 'error')) throw new ConfigError(flat.issues.filter((i) => i.severity === 'error'));
  const r = new Reader(file, flat.entries);
  r.issues.push(...flat.issues);

  const levelOverrides = readLevelOverrides(r);
  const sinks = readSinks(r, SINK_KINDS, levelOverrides);
  const metrics = readMetrics(r);
  const sources = readSources(r);
  const http = readHttp(r);
  const consoleCfg = readConsole(r);
  warnUnknown(r);
  warnUnavailableSources(r, sources);

  // docs/stalwart.md §0: Stalwart adds its console tracer when no tracer and no webhook survives reading (an
  // `enable = false` one does not: mailtel keeps it as a switched-off row, Stalwart drops it).
  if (![...sinks.tracers, ...sinks.webhooks].some((s) => s.enable)) sinks.tracers.push(implicitConsoleTracer(file, DEFAULT_QUEUE_SIZE));
  if (sources.length === 0) r.warn({ line: 0, col: 0, key: 'source' }, 'no source.<id> is configured: no events will flow');
  if (metrics.prometheus.enable && !http.listen) {
    const e = r.get(['metrics', 'prometheus', 'enable'])!;
    r.warn(e, 'http.listen is not set: nothing serves /metrics/prometheus');
  }

  const byPlace = (a: ConfigIssue, b: ConfigIssue) => a.line - b.line || a.col - b.col;
  const errors = r.issues.filter((i) => i.severity === 'error').sort(byPlace);
  if (errors.length) throw new ConfigError(errors);
  const warnings = r.issues.filter((i) => i.severity === 'warning').sort(byPlace);
  return { file, tracers: sinks.tracers, webhooks: sinks.webhooks as WebhookConfig[], metrics, sources, http, console: consoleCfg, levelOverrides, warnings };
}

/** `--config FILE`, else ./mailtel.toml in `cwd` when present, else the built-in demo config. */
export function loadConfig(opts: { file?: string; cwd?: string }): Config {
  const cwd = opts.cwd ?? process.cwd();
  if (opts.file !== undefined) return warnMissingFiles(parseConfig(readConfigFile(opts.file, resolve(cwd, opts.file)), opts.file), cwd);
  const local = resolve(cwd, 'mailtel.toml');
  if (existsSync(local)) return warnMissingFiles(parseConfig(readConfigFile('mailtel.toml', local), 'mailtel.toml'), cwd);
  return parseConfig(demoConfigText(), DEMO_FILE);
}

function readConfigFile(shown: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new ConfigError([{ file: shown, line: 0, col: 0, key: '', severity: 'error', message: `cannot read the config file: ${why}` }]);
  }
}
