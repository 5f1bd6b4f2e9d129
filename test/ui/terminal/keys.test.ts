import { describe, expect, it } from 'vitest';
import { parseKey, splitKeys } from '../../../src/ui/terminal/keys.js';

describe('a read with many keys', () => {
  it('is split into single keys, escape sequences whole, in order', () => {
    expect(splitKeys('jjj')).toEqual(['j', 'j', 'j']);
    expect(splitKeys('/auth\r')).toEqual(['/', 'a', 'u', 't', 'h', '\r']);
    expect(splitKeys('\x15\r')).toEqual(['\x15', '\r']);
    expect(splitKeys('j\x1b[Bk\x1bOA\x1b[5~\x1b[1;2A\x1b[Z')).toEqual(['j', '\x1b[B', 'k', '\x1bOA', '\x1b[5~', '\x1b[1;2A', '\x1b[Z']);
    expect(splitKeys('a\r\nb')).toEqual(['a', '\r', 'b']);
    expect(splitKeys('é😀x')).toEqual(['é', '😀', 'x']);
    expect(splitKeys('\x1b\x1b[A')).toEqual(['\x1b', '\x1b[A']);
    expect(splitKeys('\x1bx')).toEqual(['\x1bx']);
    expect(splitKeys('\x1b')).toEqual(['\x1b']);
  });

  it('each key is named as the key map expects', () => {
    expect(splitKeys('/auth\r').map(parseKey)).toEqual([
      { input: '/', shift: false },
      { input: 'a', shift: false },
      { input: 'u', shift: false },
      { input: 't', shift: false },
      { input: 'h', shift: false },
      { input: '', name: 'return' },
    ]);
    expect(parseKey('\x15')).toEqual({ input: 'u', ctrl: true });
    expect(parseKey('\x03')).toEqual({ input: 'c', ctrl: true });
    expect(parseKey('\x7f')).toEqual({ input: '', name: 'backspace' });
    expect(parseKey('\x1b')).toEqual({ input: '', name: 'escape' });
    expect(parseKey('\x1b[A')).toMatchObject({ name: 'up', shift: false });
    expect(parseKey('\x1bOB')).toMatchObject({ name: 'down' });
    expect(parseKey('\x1b[6~')).toMatchObject({ name: 'pagedown' });
    expect(parseKey('\x1b[3~')).toMatchObject({ name: 'delete' });
    expect(parseKey('\x1b[Z')).toEqual({ input: '', name: 'tab', shift: true });
    expect(parseKey('\t')).toEqual({ input: '', name: 'tab' });
    expect(parseKey('G')).toEqual({ input: 'G', shift: true });
    expect(parseKey('\x1bx')).toEqual({ input: 'x', meta: true });
  });
});
