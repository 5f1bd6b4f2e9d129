import type { KeyName, KeyPress } from '../view/keymap.js';

/**
 * One read from the terminal may hold many keys (a paste, key repeat, a laggy SSH link,
 * `tmux send-keys jjj`): `splitKeys` cuts it into single keys, escape sequences whole, and
 * `parseKey` names each one. Applied in order, `/auth\r` is a filter, a commit, nothing lost.
 */
export function splitKeys(chunk: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < chunk.length) {
    const c = chunk[i]!;
    if (c !== '\x1b') {
      const cp = chunk.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      // \r\n from a paste is one Enter
      if (c === '\r' && chunk[i + 1] === '\n') {
        keys.push('\r');
        i += 2;
        continue;
      }
      keys.push(chunk.slice(i, i + len));
      i += len;
      continue;
    }
    const next = chunk[i + 1];
    if (next === '[') {
      // CSI: parameters and intermediates, then one final byte 0x40-0x7e
      let j = i + 2;
      // legacy Linux console function keys: ESC [ [ A
      if (chunk[j] === '[') j++;
      while (j < chunk.length && /[0-9;:<=>?!"#$%&'()*+,\-./ ]/.test(chunk[j]!)) j++;
      keys.push(chunk.slice(i, Math.min(j + 1, chunk.length)));
      i = j + 1;
    } else if (next === 'O' && i + 2 < chunk.length) {
      keys.push(chunk.slice(i, i + 3)); // SS3: ESC O A
      i += 3;
    } else if (next === '\x1b') {
      keys.push('\x1b'); // Esc then more: the first is Esc alone
      i += 1;
    } else if (next !== undefined) {
      const cp = chunk.codePointAt(i + 1)!;
      const len = cp > 0xffff ? 2 : 1;
      keys.push(chunk.slice(i, i + 1 + len)); // Alt/Meta + key
      i += 1 + len;
    } else {
      keys.push('\x1b');
      i += 1;
    }
  }
  return keys;
}

const CSI_FINAL: Record<string, KeyName> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end' };
const CSI_TILDE: Record<string, KeyName> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '5': 'pageup', '6': 'pagedown', '3': 'delete' };

/** A single key (one item of `splitKeys`) as the key map's `KeyPress`. */
export function parseKey(seq: string): KeyPress {
  if (seq === '\r' || seq === '\n') return { input: '', name: 'return' };
  if (seq === '\t') return { input: '', name: 'tab' };
  if (seq === '\x7f' || seq === '\b') return { input: '', name: 'backspace' };
  if (seq === '\x1b') return { input: '', name: 'escape' };
  if (seq.length === 1 && seq < ' ') return { input: String.fromCharCode(seq.charCodeAt(0) + 96), ctrl: true };
  if (seq.startsWith('\x1b[') || seq.startsWith('\x1bO')) {
    const body = seq.slice(2).replace(/^\[/, '');
    const final = body[body.length - 1] ?? '';
    const params = body.slice(0, -1).split(';');
    const mod = Number(params[1] ?? 1) - 1;
    const shift = (mod & 1) !== 0;
    const ctrl = (mod & 4) !== 0;
    const meta = (mod & 2) !== 0;
    if (final === 'Z') return { input: '', name: 'tab', shift: true };
    const name = final === '~' ? CSI_TILDE[params[0] ?? ''] : CSI_FINAL[final];
    return name ? { input: '', name, shift, ctrl, meta } : { input: '', meta: true };
  }
  if (seq.startsWith('\x1b')) {
    const rest = seq.slice(1);
    if (rest === '\r') return { input: '', name: 'return', meta: true };
    return { input: rest, meta: true };
  }
  return { input: seq, shift: seq.length === 1 && seq >= 'A' && seq <= 'Z' };
}
