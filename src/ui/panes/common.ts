import type { Level } from '../../catalogue/types.js';
import type { SinkState, SourceState } from '../../runtime/types.js';
import { renderLine, type Seg } from '../text/styled.js';
import { textWidth } from '../text/plain.js';
import type { Role, Theme } from '../theme.js';

/** A pane's title bar: name (highlighted when focused), facts, badges, then a rule. */
export function titleLine(name: string, focused: boolean, info: readonly Seg[], width: number, theme: Theme): string {
  const segs: Seg[] = [[` ${name} `, focused ? 'title.focused' : 'title'], [' ']];
  for (const s of info) segs.push(s);
  let used = 0;
  for (const [t] of segs) used += textWidth(t);
  if (used < width) segs.push(['─'.repeat(width - used), 'rule']);
  return renderLine(segs, width, theme);
}

export function sinkStateRole(state: SinkState): Role {
  switch (state) {
    case 'ok':
      return 'state.ok';
    case 'starting':
    case 'retrying':
      return 'state.warn';
    case 'failing':
      return 'state.bad';
    default:
      return 'state.off';
  }
}

export function sourceStateRole(state: SourceState): Role {
  switch (state) {
    case 'running':
      return 'state.ok';
    case 'starting':
    case 'connecting':
    case 'paused':
      return 'state.warn';
    case 'failing':
      return 'state.bad';
    default:
      return 'state.off';
  }
}

export const levelRole = (level: Level): Role => `level.${level}`;

/** `key value` pairs for detail views: the key in the key role, padded to `keyWidth`. */
export function fieldLine(key: string, value: string, width: number, theme: Theme, keyWidth = 20, role?: Role): string {
  return renderLine([[('  ' + key).padEnd(keyWidth), 'key'], [value, role]], width, theme);
}
