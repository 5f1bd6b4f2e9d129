import { passesLevel } from '../catalogue/levels.js';
import { matchesAny } from '../catalogue/patterns.js';
import type { Level, LevelSetting } from '../catalogue/types.js';
import type { EventSelection } from '../config/types.js';

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
      const listed = matchesAny(sel.patterns, type);
      ok = type !== ownErrorEvent && (sel.policy === 'include' ? listed : !listed) && passesLevel(level, min);
      cache.set(type, ok);
    }
    return ok;
  };
}
