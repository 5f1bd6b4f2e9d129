import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { eventPredicate, parseSearch } from '../../../src/ui/view/search.js';

let seq = 0;
const ev = (type: string, level: TelemetryEvent['level'], data: TelemetryEvent['data'], span?: TelemetryEvent['data']): TelemetryEvent => ({
  seq: ++seq,
  type,
  level,
  createdAt: 0,
  data,
  span,
  text: type === 'smtp.connection-start' ? 'SMTP connection started' : 'Some event',
});

const start = ev('smtp.connection-start', 'info', { remoteIp: '192.0.2.10', localPort: 25, listenerId: 'smtp' });
const mail = ev('smtp.mail-from', 'info', { from: 'Alice@Example.org', size: 4096 }, { remoteIp: '192.0.2.10' });
const auth = ev('auth.failed', 'warn', { accountName: 'bob', details: { type: 'store.not-found', data: { key: 'k9' } } });
const dbg = ev('imap.list', 'debug', { total: 14, tls: true, to: ['x@example.net', 'y@example.com'] });
const all = [start, mail, auth, dbg];
const pick = (f: string, level: TelemetryEvent['level'] = 'trace') => all.filter(eventPredicate(f, level)).map((e) => e.type);

describe('events filter', () => {
  it('a level typed as the pane shows it (WARN), or level:warn, keeps that level and above, as `l` does', () => {
    expect(pick('WARN')).toEqual(pick('', 'warn'));
    expect(pick('WARN')).toEqual(['auth.failed']);
    expect(pick('level:debug')).toEqual(pick('', 'debug'));
    expect(pick('INFO smtp')).toEqual(['smtp.connection-start', 'smtp.mail-from']);
    // lower-case "warn" stays a word to look for
    expect(parseSearch('warn')).toEqual([{ text: 'warn' }]);
  });

  it('parses words, key:value with kebab or camel keys, and quoted phrases', () => {
    expect(parseSearch('remote-ip:192.0 ehlo')).toEqual([{ key: 'remoteip', text: '192.0' }, { text: 'ehlo' }]);
    expect(parseSearch('remoteIp:192.0')).toEqual([{ key: 'remoteip', text: '192.0' }]);
    expect(parseSearch('"connection started" from:"alice"')).toEqual([{ text: 'connection started' }, { key: 'from', text: 'alice' }]);
    expect(parseSearch('  ')).toEqual([]);
    expect(parseSearch('http://x :y z:')).toEqual([{ key: 'http', text: '//x' }, { text: ':y' }, { text: 'z:' }]);
  });

  it('a plain word matches the name, the description or any value, case-insensitively', () => {
    expect(pick('mail-from')).toEqual(['smtp.mail-from']);
    expect(pick('CONNECTION STARTED'.toLowerCase().split(' ')[0]!)).toEqual(['smtp.connection-start']);
    expect(pick('alice@example')).toEqual(['smtp.mail-from']);
    expect(pick('4096')).toEqual(['smtp.mail-from']);
    expect(pick('k9')).toEqual(['auth.failed']); // inside a nested error
    expect(pick('y@example.com')).toEqual(['imap.list']); // inside a list
    expect(pick('192.0.2.10')).toEqual(['smtp.connection-start', 'smtp.mail-from']); // span keys count
  });

  it('key:value matches only that key, in the event or its span', () => {
    expect(pick('remote-ip:192.0.2')).toEqual(['smtp.connection-start', 'smtp.mail-from']);
    expect(pick('remoteIp:192.0.2')).toEqual(['smtp.connection-start', 'smtp.mail-from']);
    expect(pick('account-name:bob')).toEqual(['auth.failed']);
    expect(pick('from:bob')).toEqual([]);
    expect(pick('tls:true')).toEqual(['imap.list']);
  });

  it('every term must match, and the minimum level applies', () => {
    expect(pick('smtp 192.0.2.10 alice')).toEqual(['smtp.mail-from']);
    expect(pick('', 'info')).toEqual(['smtp.connection-start', 'smtp.mail-from', 'auth.failed']);
    expect(pick('', 'warn')).toEqual(['auth.failed']);
    expect(pick('smtp', 'warn')).toEqual([]);
  });
});
