import { EVENTS, OWN_ERROR_EVENT } from '../catalogue/index.js';
import { passesLevel } from '../catalogue/levels.js';
import { matchesAny } from '../catalogue/patterns.js';
import type { LevelSetting } from '../catalogue/types.js';
import { selects } from '../runtime/filter.js';
import type { EventSelection } from './types.js';

/** The level an event is filtered and shown at: its `tracing.level.<event>` override, else the catalogue's. */
export function effectiveLevel(name: string, catalogueLevel: LevelSetting, overrides: ReadonlyMap<string, LevelSetting>): LevelSetting {
  return overrides.get(name) ?? catalogueLevel;
}

/**
 * The catalogue events (v0.15 and v0.16 names) a subscriber receives (§1): the selection
 * (include list, or everything minus an exclude list), minus the sink type's own error event,
 * then — when `level` is given — only events whose effective level passes it. Webhooks pass no
 * level: they have no level filter.
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

/** The event counters kept after `metrics.disabled-events` (§2, §6). */
export function enabledCounters(disabled: EventSelection['patterns']): string[] {
  return EVENTS.filter((e) => e.counter && !matchesAny(disabled, e.name)).map((e) => e.name);
}
