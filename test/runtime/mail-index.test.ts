import { describe, expect, it } from 'vitest';
import { Collector } from '../../src/runtime/collector.js';
import { MailIndex } from '../../src/runtime/mail-index.js';
import { MailFeed } from '../helpers/mail-feed.js';

describe('mail index (bounded, fed by the collector)', () => {
  it('forgets the oldest messages past its bound and says how far back it reaches', () => {
    const f = new MailFeed();
    const small = new MailIndex(3);
    const c = new Collector(new Map(), 100, () => f.now);
    c.observe((ev) => small.observe(ev, f.now));
    for (let q = 1; q <= 5; q++) {
      c.ingest({ type: 'queue.queue-message', data: { queueId: q, from: 'a@x', to: ['b@y'], size: 1, total: 1 }, createdAt: f.now });
      f.now += 1000;
    }
    expect(small.messageCount).toBe(3);
    expect(small.trail('1')).toBeUndefined();
    expect(small.trail('5')).toBeDefined();
    expect(small.oldestAt).toBe(small.trail('3')!.firstAt);
  });

  it('links every event of a session to its message (queueIdOf), keeps no IMAP span, and frees a span at its end', () => {
    const f = new MailFeed().inbound('11', 42, 'a@example.org', ['b@example.com']);
    const ehlo = f.collector.history.toArray().find((e) => e.type === 'smtp.ehlo')!;
    expect(f.index.queueIdOf(ehlo)).toBe('42');
    f.emit('imap.connection-start', { listenerId: 'imap', localPort: 993, remoteIp: '192.0.2.1', remotePort: 5 }, '12');
    const imap = f.collector.history.toArray().at(-1)!;
    expect(f.index.queueIdOf(imap)).toBeUndefined();
    expect((f.index as unknown as { spans: Map<string, unknown> }).spans.has('12')).toBe(false);
    // The ended SMTP span keeps its link but no longer its events.
    const spans = (f.index as unknown as { spans: Map<string, { events: unknown[]; queueId?: string }> }).spans;
    expect(spans.get('11')).toMatchObject({ events: [], queueId: '42' });
    expect(f.index.trail('42')!.events.map((e) => e.type).at(-1)).toBe('smtp.connection-end');
  });

  it('a session whose start was not seen makes the trail incomplete', () => {
    const f = new MailFeed();
    f.emit('smtp.mail-from', { from: 'a@x' }, '21').emit('queue.queue-message', { queueId: 7, from: 'a@x', to: ['b@y'], size: 1, total: 1 }, '21');
    expect(f.index.trail('7')!.incomplete).toBe(true);
    f.inbound('22', 8, 'a@x', ['b@y']);
    expect(f.index.trail('8')!.incomplete).toBe(false);
  });
});
