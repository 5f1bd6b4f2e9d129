import { describe, expect, it } from 'vitest';
import { eventPredicate } from '../../../src/ui/view/search.js';
import { highlightSegs } from '../../../src/ui/text/highlight.js';
import { MailFeed } from '../../helpers/mail-feed.js';

describe('filter highlight and inversion', () => {
  it('highlights every matched word (any case), the value of key:value terms, nothing when inverted', () => {
    expect(highlightSegs('remoteIp=192.0.2.7 to=Bob@x', 'bob 192.0.2', 'text')).toEqual([
      ['remoteIp=', 'text'],
      ['192.0.2', 'badge'],
      ['.7 to=', 'text'],
      ['Bob', 'badge'],
      ['@x', 'text'],
    ]);
    expect(highlightSegs('queueId=77', 'queue-id:77', 'text')).toEqual([['queueId=', 'text'], ['77', 'badge']]);
    expect(highlightSegs('queueId=77', '!77', 'text')).toEqual([['queueId=77', 'text']]);
  });

  it('/! inverts the events filter: the events that do not match', () => {
    const f = new MailFeed().emit('auth.failed', { remoteIp: '192.0.2.1' }).emit('auth.success', { accountName: 'a' }).emit('smtp.ehlo', { domain: 'x' });
    const evs = f.collector.history.toArray();
    expect(evs.filter(eventPredicate('auth', 'trace')).map((e) => e.type)).toEqual(['auth.failed', 'auth.success']);
    expect(evs.filter(eventPredicate('!auth', 'trace')).map((e) => e.type)).toEqual(['smtp.ehlo']);
    expect(evs.filter(eventPredicate('!auth', 'warn')).map((e) => e.type)).toEqual([]);
    expect(evs.filter(eventPredicate('!', 'trace'))).toHaveLength(3);
  });
});
