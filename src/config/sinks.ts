import { selectedEvents, type EventSelection } from '../catalogue/selection.js';
import type { LevelSetting } from '../catalogue/types.js';
import { readTracerSelection } from './event-lists.js';
import type { FlatEntry } from './flat-toml.js';
import type { Anchor, Path, Reader } from './reader.js';
import { displayKey } from './toml-lines.js';
import type { KeyPlace } from './types.js';

/** mailtel: events held per subscriber before backpressure (lossy: before dropping). */
export const DEFAULT_QUEUE_SIZE = 32768;

/** What every sink's config has. A kind's own config type extends it (src/sinks/<kind>/config.ts). */
export interface SinkConfig {
  id: string;
  enable: boolean;
  lossy: boolean;
  events: EventSelection;
  /** Events held per subscriber before backpressure (lossy: before dropping). */
  queueSize: number;
  place: KeyPlace;
}

/** The keys every `tracer.<id>` has; `type` is the kind's name (`log`, `otel`...). */
export interface TracerConfig extends SinkConfig {
  type: string;
  level: LevelSetting;
  /** Stalwart's fallback console tracer, added because the file defines no tracer and no webhook. */
  implicit?: boolean;
}

/** What one kind's reader gets: where its section is, and how to give up on it. */
export interface ReadContext {
  id: string;
  /** `['tracer', id]` or `['webhook', id]`. */
  base: Path;
  /** The key that made this a sink (`type` of a tracer, `url` of a webhook): blamed for skips. */
  anchor: FlatEntry;
  /** Warns `<message>; <tracer|webhook> skipped` at `where` (default the anchor); returns undefined. */
  skip(message: string, where?: FlatEntry | (Anchor & { key: string })): undefined;
}

/**
 * What the loader needs of a sink kind: which part of the file is its and how to read it. The
 * kinds (src/sinks/<kind>/) implement it; config/ never imports them, the registry is handed in.
 */
export interface SinkReader {
  /** The kind's name: `type` of its configs and status rows, key of its own error event. */
  readonly name: string;
  /** `tracer`: a `tracer.<id>` whose `type` is one of `aliases`. `webhook`: each `webhook.<id>` with a `url`. */
  readonly section: 'tracer' | 'webhook';
  /** `type` values that name this kind (tracers). */
  readonly aliases: readonly string[];
  /** For messages: `log tracer`, `webhook`. */
  readonly label: string;
  /** At most one may exist (console, journal); an enabled one wins over a disabled one. */
  readonly single?: boolean;
  /** Reads the kind's keys; undefined when it skipped the sink (after `ctx.skip`). */
  read(r: Reader, ctx: ReadContext): SinkConfig | undefined;
}

/** The keys every tracer has, read for a tracer kind's `read`. */
export function readTracerCommon(r: Reader, ctx: ReadContext, type: string): TracerConfig {
  const base = ctx.base;
  return {
    id: ctx.id,
    type,
    enable: r.bool([...base, 'enable'], true),
    level: r.level([...base, 'level'], 'info'),
    lossy: r.bool([...base, 'lossy'], false),
    events: readTracerSelection(r, base),
    queueSize: r.number([...base, 'queue-size'], DEFAULT_QUEUE_SIZE, { integer: true, min: 1 }),
    place: { ...r.place(ctx.anchor), key: displayKey(base) },
  };
}

function context(r: Reader, section: string, id: string, anchor: FlatEntry): ReadContext {
  const base = [section, id];
  return {
    id,
    base,
    anchor,
    skip(message, where = anchor) {
      r.warn(where, `${message}; ${section} skipped`);
      r.consume(base);
      return undefined;
    },
  };
}

/** After a kind read its keys: unknown keys, then Stalwart's "no events" skips. */
function finish(r: Reader, kind: SinkReader, ctx: ReadContext, cfg: SinkConfig, overrides: ReadonlyMap<string, LevelSetting>): SinkConfig | undefined {
  r.warnUnread(ctx.base, kind.label);
  const level = 'level' in cfg ? (cfg as TracerConfig).level : undefined;
  if (level === 'disable') return ctx.skip('No events enabled for tracer (level is disable)', r.get([...ctx.base, 'level']));
  if (selectedEvents(cfg.events, level, kind.name, overrides).size === 0) return ctx.skip(`No events enabled for ${kind.section}`);
  return cfg;
}

function readTracer(r: Reader, id: string, kinds: readonly SinkReader[], overrides: ReadonlyMap<string, LevelSetting>): SinkConfig | undefined {
  const typeEntry = r.get(['tracer', id, 'type'])!;
  const ctx = context(r, 'tracer', id, typeEntry);
  if (typeof typeEntry.value !== 'string') {
    r.error(typeEntry, `expected a string such as "log" or "console"; got a ${typeof typeEntry.value}`);
    r.consume(ctx.base);
    return undefined;
  }
  const tracerKinds = kinds.filter((k) => k.section === 'tracer');
  const name = typeEntry.value.trim().toLowerCase();
  const kind = tracerKinds.find((k) => k.aliases.includes(name));
  if (!kind) {
    const all = tracerKinds.flatMap((k) => k.aliases).join(', ');
    return ctx.skip(`unknown tracer type ${JSON.stringify(typeEntry.value)} (expected one of ${all})`);
  }
  if (typeEntry.value !== name) {
    r.warn(typeEntry, `Stalwart reads type names case-sensitively: it would skip this tracer as an unknown type; mailtel reads it as ${JSON.stringify(name)}`);
  }
  const cfg = kind.read(r, ctx);
  return cfg && finish(r, kind, ctx, cfg, overrides);
}

/**
 * Keeps one sink of each `single` kind: the first enabled one **by id** (Stalwart visits ids in
 * its sorted config map, and drops disabled tracers before), else the first disabled one by id.
 * The others are skipped with a warning; the rest keep the file's order.
 */
function keepSingles(r: Reader, kinds: readonly SinkReader[], tracers: TracerConfig[]): TracerConfig[] {
  const drop = new Set<TracerConfig>();
  const byId = (a: TracerConfig, b: TracerConfig) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  for (const kind of kinds.filter((k) => k.single)) {
    const all = tracers.filter((t) => t.type === kind.name).sort(byId);
    const winner = all.find((t) => t.enable) ?? all[0];
    for (const t of all) {
      if (t === winner) continue;
      drop.add(t);
      r.warn(t.place, `only one ${kind.name} tracer may exist (${displayKey(['tracer', winner!.id])} is used); tracer skipped`);
    }
  }
  return tracers.filter((t) => !drop.has(t));
}

export interface SinkSections {
  tracers: TracerConfig[];
  webhooks: SinkConfig[];
}

/**
 * Every `tracer.<id>` with a `type` key and every `webhook.<id>` with a `url` key, each read by
 * its kind. Sinks Stalwart would skip (unknown type, level disable, no events, missing keys, a
 * second console or journal tracer) are skipped with a warning.
 */
export function readSinks(r: Reader, kinds: readonly SinkReader[], overrides: ReadonlyMap<string, LevelSetting>): SinkSections {
  const tracers: TracerConfig[] = [];
  const webhooks: SinkConfig[] = [];
  for (const id of r.idsWith('tracer', 'type', 'tracer')) {
    const t = readTracer(r, id, kinds, overrides);
    if (t) tracers.push(t as TracerConfig);
  }
  for (const kind of kinds.filter((k) => k.section === 'webhook')) {
    for (const id of r.idsWith('webhook', 'url', 'webhook')) {
        const ctx = context(r, 'webhook', id, r.get(['webhook', id, 'url'])!);
      const cfg = kind.read(r, ctx);
      const w = cfg && finish(r, kind, ctx, cfg, overrides);
      if (w) webhooks.push(w);
    }
  }
  return { tracers: keepSingles(r, kinds, tracers), webhooks };
}
