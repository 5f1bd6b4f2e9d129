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
  const cache = new Map<string, boolean>();
  return (type, level) => {
    const key = level + type;
    let ok = cache.get(key);
    if (ok === undefined) {
      const listed = matchesAny(sel.patterns, type);
      ok = type !== ownErrorEvent && (sel.policy === 'include' ? listed : !listed) && passesLevel(level, min);
      cache.set(key, ok);
    }
    return ok;
  };
}
