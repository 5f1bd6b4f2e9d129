import { EVENTS, OWN_ERROR_EVENT } from './index.js';
import { passesLevel } from './levels.js';
import { matchesAny, type Pattern } from './patterns.js';
import type { LevelSetting } from './types.js';

/** Which catalogue events a subscriber takes before the level filter. */
export interface EventSelection {
  /** v0.15: `disabled-events`; v0.16: `events` with `events-policy`. */
  policy: 'include' | 'exclude';
  patterns: Pattern[];
}

/** The selection (include or exclude list) takes `type`, and it is not the sink's own error event. */
export function selects(sel: EventSelection, type: string, ownErrorEvent?: string): boolean {
  return type !== ownErrorEvent && matchesAny(sel.patterns, type) === (sel.policy === 'include');
}

/** The level an event is filtered and shown at: its `tracing.level.<event>` override, else its own level. */
export function effectiveLevel(name: string, ownLevel: LevelSetting, overrides: ReadonlyMap<string, LevelSetting>): LevelSetting {
  return overrides.get(name) ?? ownLevel;
}

/**
 * The catalogue events (v0.15 and v0.16 names) a subscriber receives: the selection (include
 * list, or everything minus an exclude list), minus the sink type's own error event, then —
 * when `level` is given — only events whose effective level passes it. Webhooks pass no level:
 * they have no level filter. The runtime's per-event filter (runtime/filter.ts) applies the
 * same two rules, `selects` and `passesLevel`.
 */
export function selectedEvents(
  sel: EventSelection,
  level: LevelSetting | undefined,
  sinkType: string,
  overrides: ReadonlyMap<string, LevelSetting>,
): Set<string> {
  const own = OWN_ERROR_EVENT[sinkType];
  const out = new Set<string>();
  for (const e of EVENTS) {
    if (!selects(sel, e.name, own)) continue;
    if (level !== undefined && !passesLevel(effectiveLevel(e.name, e.level, overrides), level)) continue;
    out.add(e.name);
  }
  return out;
}

/** The event counters kept after `metrics.disabled-events`. */
export function enabledCounters(disabled: readonly Pattern[]): string[] {
  return EVENTS.filter((e) => e.counter && !matchesAny(disabled, e.name)).map((e) => e.name);
}
