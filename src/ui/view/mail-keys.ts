import type { KeyHelp, KeyPress } from './keymap.js';
import type { MailAction } from './mail-state.js';
import type { ViewState } from './state.js';

/**
 * The mail views' keys, asked before the console's own command keys (not while a filter or
 * query is being typed). `t` keeps toggling the selected sink in the sinks pane.
 */
export function mailKey(k: KeyPress, s: ViewState): MailAction | null {
  const inEvents = !s.overlay && s.focus === 'events';
  if (k.name === 'left' || k.name === 'right') return s.histogram && inEvents ? { type: 'hist-move', by: k.name === 'left' ? -1 : 1 } : null;
  if (k.name === 'return') return s.histCursor !== null && inEvents ? { type: 'hist-jump' } : null;
  if (k.ctrl || k.meta || k.name) return null;
  switch (k.input) {
    case 't':
      return inEvents ? { type: 'trail' } : null;
    case 'T':
      return { type: 'trail-search' };
    case 'D':
      return { type: 'domains' };
    case 'A':
      return { type: 'security' };
    case 'H':
      return { type: 'histogram' };
    case 'o':
      return { type: 'sort-next' };
    case 'O':
      return { type: 'sort-reverse' };
  }
  return null;
}

export const MAIL_KEY_HELP: readonly KeyHelp[] = [
  { keys: 't', what: "the selected event's message trail (queue id or linked span)", pane: 'events', short: 't trail' },
  { keys: 'T', what: 'find a message trail by queue id, address or remote IP' },
  { keys: 'D', what: 'delivery health per destination domain (Enter: its recent trails)' },
  { keys: 'A', what: 'security (attacks): auth failures, bans, rate limits, spam, SPF/DKIM/DMARC, top IPs' },
  { keys: 'H', what: 'event-rate histogram over the events pane; ← → pick a time, Enter jumps', pane: 'events' },
  { keys: 'o / O', what: 'sort a table by the next column / reverse (domains, security, sinks, metrics)' },
  { keys: '/!word', what: 'invert a filter: rows that do not match' },
];
