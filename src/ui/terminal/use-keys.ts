import { useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import type { KeyPress } from '../view/keymap.js';
import { parseKey, splitKeys } from './keys.js';

/**
 * Calls `handler` for every key, in order, however many arrive in one read (see keys.ts):
 * Ink's `useInput` would hand a multi-key chunk over as one "key".
 */
export function useKeys(handler: (k: KeyPress) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  const { setRawMode, internal_eventEmitter: events } = useStdin();
  useEffect(() => {
    setRawMode(true);
    return () => setRawMode(false);
  }, [setRawMode]);
  useEffect(() => {
    const onInput = (data: string | Buffer) => {
      for (const key of splitKeys(String(data))) ref.current(parseKey(key));
    };
    events?.on('input', onInput);
    return () => {
      events?.removeListener('input', onInput);
    };
  }, [events]);
}
