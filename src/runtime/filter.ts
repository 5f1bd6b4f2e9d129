import { passesLevel } from '../catalogue/levels.js';
import { matchesAny } from '../catalogue/patterns.js';
import type { Level, LevelSetting } from '../catalogue/types.js';
import type { EventSelection } from '../config/types.js';

/** §1: the selection (include or exclude list) takes `type`, and it is not the sink's own error event. */
export function selects(sel: EventSelection, type: string, ownErrorEvent?: string): boolean {
  return type !== ownErrorEvent && matchesAny(sel.patterns, type) === (sel.policy === 'include');
}

/**
 * §1 event selection for one subscriber: the selection (include or exclude list), never the
 * sink's own error event, then the effective level against the sink's level. Results per
 * (type, level) are cached: the same few hundred names repeat millions of times.
 */
export function makeFilter(sel: EventSelection, min: LevelSetting, ownErrorEvent?: string): (type: string, level: Level) => boolean {
  const byLevel = new Map<Level, Map<string, boolean>>();
  return (type, level) => {
    let cache = byLevel.get(level);
    if (cache === undefined) byLevel.set(level, (cache = new Map()));
    let ok = cache.get(type);
    if (ok === undefined) {
      ok = selects(sel, type, ownErrorEvent) && passesLevel(level, min);
      cache.set(type, ok);
    }
    return ok;
  };
}
