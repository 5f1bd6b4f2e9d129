import type { Action, PaneId, ViewState } from './state.js';
import { MAIL_KEY_HELP, mailKey } from './mail-keys.js';

/**
 * The key map: a pure function from one key press and the view state to an action. Text
 * typed after `/` goes to the filter; everything else is a command key.
 */
export type KeyName = 'up' | 'down' | 'left' | 'right' | 'pageup' | 'pagedown' | 'home' | 'end' | 'return' | 'escape' | 'tab' | 'backspace' | 'delete';

export interface KeyPress {
  /** The character(s) typed; '' for named keys. */
  input: string;
  name?: KeyName;
  ctrl?: boolean;
  shift?: boolean;
  meta?: boolean;
}

const PRINTABLE = /^[^\u0000-\u001f\u007f-\u009f]+$/;

function filterKey(k: KeyPress): Action | null {
  if (k.name === 'escape') return { type: 'filter-cancel' };
  if (k.name === 'return') return { type: 'filter-commit' };
  if (k.name === 'backspace' || k.name === 'delete') return { type: 'filter-back' };
  if (k.ctrl && k.input === 'u') return { type: 'filter-clear' };
  if (k.ctrl || k.meta || k.name) return null;
  const text = k.input.replace(/[\r\n\t]+/g, ' ');
  return text && PRINTABLE.test(text) ? { type: 'filter-type', text } : null;
}

export function keymap(k: KeyPress, s: ViewState): Action | null {
  if (k.ctrl && k.input === 'c') return { type: 'quit' };
  if (s.quitting) return null;
  if (s.draft !== null) return filterKey(k);
  const mail = mailKey(k, s);
  if (mail) return mail;
  switch (k.name) {
    case 'escape':
      return { type: 'close' };
    case 'tab':
      return { type: 'focus', dir: k.shift ? -1 : 1 };
    case 'up':
      return { type: 'move', by: -1 };
    case 'down':
      return { type: 'move', by: 1 };
    case 'pageup':
      return { type: 'move', by: 'page-up' };
    case 'pagedown':
      return { type: 'move', by: 'page-down' };
    case 'home':
      return { type: 'move', by: 'top' };
    case 'end':
      return { type: 'move', by: 'bottom' };
    case 'return':
      return { type: 'open' };
  }
  if (k.ctrl || k.meta || k.name) return null;
  const c = k.input;
  if (c >= '1' && c <= '9' && c.length === 1) return { type: 'toggle-sink', n: Number(c) };
  switch (c) {
    case 'q':
      return { type: 'quit' };
    case '?':
      return { type: 'help' };
    case 'k':
      return { type: 'move', by: -1 };
    case 'j':
      return { type: 'move', by: 1 };
    case 'g':
      return { type: 'move', by: 'top' };
    case 'G':
      return { type: 'move', by: 'bottom' };
    case '/':
      return { type: 'filter-open' };
    case 'l':
      return { type: 'cycle-level' };
    case 's':
      return { type: 'freeze' };
    case 'p':
      return { type: 'push' };
    case 'f':
      return { type: 'flush' };
    case 'P':
      return { type: 'pause' };
    case 'R':
      return { type: 'record' };
    case 'S':
      return { type: 'save' };
    case 'm':
      return { type: 'messages' };
    case 'M':
      return { type: 'metrics' };
    case 'v':
      return s.overlay?.kind === 'metrics' ? { type: 'metrics-view' } : null;
    case ' ':
    case 't':
      return s.focus === 'sinks' || s.focus === 'webhooks' || s.overlay?.kind === 'sink' || s.overlay?.kind === 'webhook' ? { type: 'toggle-sink' } : null;
  }
  return null;
}

/** Every key, for the help overlay and docs/console.md. `pane` limits where it works. */
export interface KeyHelp {
  keys: string;
  what: string;
  pane?: PaneId;
  /** Short form for the footer. */
  short?: string;
}

export const KEY_HELP: readonly KeyHelp[] = [
  { keys: 'Tab / Shift-Tab', what: 'move focus between panes', short: 'Tab focus' },
  { keys: '↑ ↓  j k', what: 'move the selection / scroll' },
  { keys: 'PgUp PgDn', what: 'scroll a page' },
  { keys: 'g / G  Home End', what: 'oldest / newest (G resumes following)' },
  { keys: 'Enter', what: 'details of the selected row' },
  { keys: 'Esc', what: 'close the overlay or the filter input' },
  { keys: '1-9', what: 'toggle sink N on/off', short: '1-9 sink on/off' },
  { keys: 'Space / t', what: 'toggle the selected sink', pane: 'sinks', short: 'Space toggle' },
  { keys: 'Enter', what: 'sink details: full last error, counters', pane: 'sinks', short: 'Enter details' },
  { keys: 's', what: 'freeze / follow the event stream', pane: 'events', short: 's freeze' },
  { keys: '/', what: 'filter events: words, key:value (remote-ip:10.0), source:<id>', pane: 'events', short: '/ filter' },
  { keys: 'l', what: 'cycle the minimum level shown', pane: 'events', short: 'l level' },
  { keys: 'Enter', what: 'event details: every key and its span', pane: 'events', short: 'Enter details' },
  { keys: 'p', what: 'push OTLP metrics now', pane: 'otlp', short: 'p push now' },
  { keys: 'f', what: 'flush webhooks now', pane: 'webhooks', short: 'f flush' },
  { keys: 'Space / t', what: 'switch the selected webhook off / on', pane: 'webhooks', short: 'Space toggle' },
  { keys: 'Enter', what: 'webhook details: full error, last request (secrets masked), attempts', pane: 'webhooks', short: 'Enter details' },
  { keys: 'P', what: 'pause / resume the sources' },
  { keys: 'R', what: 'start / stop recording every event to mailtel-<UTC time>.ndjson (replayable)' },
  { keys: 'S', what: 'save the events matching the filter to mailtel-<UTC time>-saved.ndjson' },
  { keys: 'm', what: 'runtime messages and console tracer output' },
  { keys: 'M', what: "metrics: Stalwart's counters, gauges and histograms from the stream" },
  { keys: 'v', what: 'in the metrics view: since start / since the console opened' },
  { keys: '?', what: 'this help', short: '? help' },
  { keys: 'q / Ctrl-C', what: 'quit (flushes every sink first)', short: 'q quit' },
  ...MAIL_KEY_HELP,
];

/** The footer's hints for a pane: its own keys, then focus, help and quit. */
export function footerKeys(pane: PaneId): string[] {
  const own = KEY_HELP.filter((k) => k.pane === pane && k.short).map((k) => k.short!);
  const global = KEY_HELP.filter((k) => !k.pane && k.short && k.keys !== '1-9').map((k) => k.short!);
  const sinks = pane === 'sinks' ? ['1-9 sink on/off'] : [];
  return [...own, ...sinks, ...global];
}
