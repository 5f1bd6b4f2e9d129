import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../src/runtime/event.js';
import { EventList, countUpTo } from '../../src/ui/view/event-list.js';
import { eventPredicate, parseSearch } from '../../src/ui/view/search.js';

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

describe('EventList', () => {
  const mk = (n: number, from = 1): TelemetryEvent[] =>
    Array.from({ length: n }, (_, i) => ({ seq: from + i, type: i % 2 ? 'smtp.ehlo' : 'auth.success', level: 'info', createdAt: 0, data: { n: from + i }, text: 'x' }));

  it('appends only new matches, drops events that left the history, and keeps the array when nothing changed', () => {
    const list = new EventList();
    const h1 = mk(10);
    const a = list.update(h1, 'ehlo', 'trace');
    expect(a.map((e) => e.seq)).toEqual([2, 4, 6, 8, 10]);
    expect(list.update(h1.slice(), 'ehlo', 'trace')).toBe(a);
    const h2 = [...mk(10).slice(4), ...mk(4, 11)]; // ring moved: 5..14
    expect(list.update(h2, 'ehlo', 'trace').map((e) => e.seq)).toEqual([6, 8, 10, 12, 14]);
    expect(list.update(h2, 'auth', 'trace').map((e) => e.seq)).toEqual([5, 7, 9, 11, 13]);
    expect(list.update([], 'auth', 'trace')).toEqual([]);
  });

  it('counts rows up to a freeze point', () => {
    const items = mk(10).filter((e) => e.seq % 2 === 0);
    expect(countUpTo(items, 0)).toBe(0);
    expect(countUpTo(items, 5)).toBe(2);
    expect(countUpTo(items, 6)).toBe(3);
    expect(countUpTo(items, 99)).toBe(5);
  });
});
