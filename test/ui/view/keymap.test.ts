import { describe, expect, it } from 'vitest';
import { footerKeys, KEY_HELP, keymap, type KeyPress } from '../../../src/ui/view/keymap.js';
import { initialState, type ViewState } from '../../../src/ui/view/state.js';

const ch = (input: string): KeyPress => ({ input });
const named = (name: KeyPress['name'], extra: Partial<KeyPress> = {}): KeyPress => ({ input: '', name, ...extra });
const s = (over: Partial<ViewState> = {}): ViewState => ({ ...initialState, ...over });

describe('keymap', () => {
  it('maps the command keys of the issue', () => {
    expect(keymap(ch('3'), s())).toEqual({ type: 'toggle-sink', n: 3 });
    expect(keymap(ch('9'), s())).toEqual({ type: 'toggle-sink', n: 9 });
    expect(keymap(ch('0'), s())).toBeNull();
    expect(keymap(ch('p'), s())).toEqual({ type: 'push' });
    expect(keymap(ch('f'), s())).toEqual({ type: 'flush' });
    expect(keymap(ch('/'), s())).toEqual({ type: 'filter-open' });
    expect(keymap(ch('l'), s())).toEqual({ type: 'cycle-level' });
    expect(keymap(ch('s'), s())).toEqual({ type: 'freeze' });
    expect(keymap(ch('?'), s())).toEqual({ type: 'help' });
    expect(keymap(ch('q'), s())).toEqual({ type: 'quit' });
    expect(keymap(ch('P'), s())).toEqual({ type: 'pause' });
    expect(keymap(ch('m'), s())).toEqual({ type: 'messages' });
  });

  it('moves with arrows, j/k, pages and g/G', () => {
    expect(keymap(named('up'), s())).toEqual({ type: 'move', by: -1 });
    expect(keymap(ch('k'), s())).toEqual({ type: 'move', by: -1 });
    expect(keymap(named('down'), s())).toEqual({ type: 'move', by: 1 });
    expect(keymap(ch('j'), s())).toEqual({ type: 'move', by: 1 });
    expect(keymap(named('pageup'), s())).toEqual({ type: 'move', by: 'page-up' });
    expect(keymap(named('pagedown'), s())).toEqual({ type: 'move', by: 'page-down' });
    expect(keymap(ch('g'), s())).toEqual({ type: 'move', by: 'top' });
    expect(keymap(ch('G'), s())).toEqual({ type: 'move', by: 'bottom' });
    expect(keymap(named('home'), s())).toEqual({ type: 'move', by: 'top' });
    expect(keymap(named('end'), s())).toEqual({ type: 'move', by: 'bottom' });
  });

  it('Tab and Shift-Tab move focus both ways; Esc closes; Enter opens', () => {
    expect(keymap(named('tab'), s())).toEqual({ type: 'focus', dir: 1 });
    expect(keymap(named('tab', { shift: true }), s())).toEqual({ type: 'focus', dir: -1 });
    expect(keymap(named('escape'), s())).toEqual({ type: 'close' });
    expect(keymap(named('return'), s())).toEqual({ type: 'open' });
  });

  it('Space and t toggle the selected sink only where a sink is selected', () => {
    expect(keymap(ch(' '), s())).toBeNull();
    expect(keymap(ch('t'), s())).toEqual({ type: 'trail' }); // in the events pane t opens the message trail
    expect(keymap(ch(' '), s({ focus: 'sinks' }))).toEqual({ type: 'toggle-sink' });
    expect(keymap(ch('t'), s({ focus: 'sinks' }))).toEqual({ type: 'toggle-sink' });
    expect(keymap(ch('t'), s({ overlay: { kind: 'sink', id: 'log', scroll: 0 } }))).toEqual({ type: 'toggle-sink' });
  });

  it('Ctrl-C quits from anywhere, even while typing a filter', () => {
    expect(keymap(ch('c'), s())).toBeNull();
    expect(keymap({ input: 'c', ctrl: true }, s())).toEqual({ type: 'quit' });
    expect(keymap({ input: 'c', ctrl: true }, s({ draft: 'abc' }))).toEqual({ type: 'quit' });
  });

  it('while typing a filter, keys are text: q, digits and p do not act', () => {
    const typing = s({ draft: '' });
    expect(keymap(ch('q'), typing)).toEqual({ type: 'filter-type', text: 'q' });
    expect(keymap(ch('1'), typing)).toEqual({ type: 'filter-type', text: '1' });
    expect(keymap(ch('remote-ip:10'), typing)).toEqual({ type: 'filter-type', text: 'remote-ip:10' });
    expect(keymap(named('backspace'), typing)).toEqual({ type: 'filter-back' });
    expect(keymap(named('delete'), typing)).toEqual({ type: 'filter-back' });
    expect(keymap({ input: 'u', ctrl: true }, typing)).toEqual({ type: 'filter-clear' });
    expect(keymap(named('return'), typing)).toEqual({ type: 'filter-commit' });
    expect(keymap(named('escape'), typing)).toEqual({ type: 'filter-cancel' });
    expect(keymap(named('up'), typing)).toBeNull();
    expect(keymap(ch('\x1b[31m'), typing)).toBeNull();
  });

  it('M opens the metrics view; v switches its window only while it is open', () => {
    expect(keymap(ch('M'), s())).toEqual({ type: 'metrics' });
    expect(keymap(ch('M'), s({ focus: 'sinks', overlay: { kind: 'help', scroll: 0 } }))).toEqual({ type: 'metrics' });
    expect(keymap(ch('v'), s())).toBeNull();
    expect(keymap(ch('v'), s({ overlay: { kind: 'help', scroll: 0 } }))).toBeNull();
    const open = s({ overlay: { kind: 'metrics', scroll: 3 } });
    expect(keymap(ch('v'), open)).toEqual({ type: 'metrics-view' });
    // the usual scrolling and closing keys work in it
    expect(keymap(ch('j'), open)).toEqual({ type: 'move', by: 1 });
    expect(keymap(named('pagedown'), open)).toEqual({ type: 'move', by: 'page-down' });
    expect(keymap(ch('G'), open)).toEqual({ type: 'move', by: 'bottom' });
    expect(keymap(named('escape'), open)).toEqual({ type: 'close' });
    // while typing a filter they are text
    expect(keymap(ch('M'), s({ draft: '' }))).toEqual({ type: 'filter-type', text: 'M' });
    expect(keymap(ch('v'), s({ draft: '', overlay: { kind: 'metrics', scroll: 0 } }))).toEqual({ type: 'filter-type', text: 'v' });
  });

  it('ignores every key but Ctrl-C while stopping', () => {
    const stopping = s({ quitting: true });
    for (const k of [ch('q'), ch('1'), named('tab'), ch('p')]) expect(keymap(k, stopping)).toBeNull();
  });

  it('documents every key it maps, and the footer lists the focused pane keys', () => {
    const listed = KEY_HELP.map((k) => k.keys).join(' ');
    for (const key of ['Tab', '1-9', 'Space', 's', '/', 'l', 'p', 'f', 'P', 'm', 'M', 'v', '?', 'q', 'Ctrl-C', 'Esc', 'Enter', 'PgUp', 'g / G', 'j k']) {
      expect(listed).toContain(key);
    }
    expect(footerKeys('sinks')).toContain('Space toggle');
    expect(footerKeys('sinks')).toContain('1-9 sink on/off');
    expect(footerKeys('events')).toContain('s freeze');
    expect(footerKeys('otlp')).toContain('p push now');
    expect(footerKeys('webhooks')).toContain('f flush');
    expect(footerKeys('events')).not.toContain('p push now');
  });
});
