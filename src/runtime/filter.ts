import { passesLevel } from '../catalogue/levels.js';
import { selects, type EventSelection } from '../catalogue/selection.js';
import type { Level, LevelSetting } from '../catalogue/types.js';

/**
 * Event selection for one subscriber: the selection (include or exclude list), never the
 * sink's own error event, then the effective level against the sink's level (the rules of
 * catalogue/selection.ts). Results per (type, level) are cached: the same few hundred names
 * repeat millions of times.
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
