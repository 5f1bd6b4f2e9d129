import { useInput, type Key } from 'ink';
import { useCallback, useRef } from 'react';
import type { KeyName, KeyPress } from '../view/keymap.js';

/** Ink's key flags as the key map's plain `KeyPress`. */
export function toKeyPress(input: string, key: Key): KeyPress {
  let name: KeyName | undefined;
  if (key.upArrow) name = 'up';
  else if (key.downArrow) name = 'down';
  else if (key.leftArrow) name = 'left';
  else if (key.rightArrow) name = 'right';
  else if (key.pageUp) name = 'pageup';
  else if (key.pageDown) name = 'pagedown';
  else if (key.home) name = 'home';
  else if (key.end) name = 'end';
  else if (key.return) name = 'return';
  else if (key.escape) name = 'escape';
  else if (key.tab) name = 'tab';
  else if (key.backspace) name = 'backspace';
  else if (key.delete) name = 'delete';
  return { input, name, ctrl: key.ctrl, shift: key.shift, meta: key.meta && !key.escape };
}

/** Calls `handler` for every key press, before any data work of the frame. */
export function useKeys(handler: (k: KeyPress) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  const stable = useCallback((input: string, key: Key) => ref.current(toKeyPress(input, key)), []);
  useInput(stable);
}
