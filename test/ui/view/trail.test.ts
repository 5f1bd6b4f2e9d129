import { describe, expect, it } from 'vitest';
import { domainRows, DOMAIN_SORT } from '../../../src/ui/view/domains.js';
import { trailModel, waterfallBar } from '../../../src/ui/view/trail.js';
import { MailFeed } from '../../helpers/mail-feed.js';

describe('message trail model', () => {
  it('a message deferred twice then delivered: inbound session, three attempts, state delivered', () => {
    const f = new MailFeed().inbound('101', 77, 'jane@example.org', ['bob@example.net']);
    f.now += 60_000;
    f.attempt('201', 77, 'example.net', 'bob@example.net', 'deferred');
    let t = trailModel(f.index.trail('77')!);
    expect(t.state).toBe('deferred');
    expect(t.nextRetry).toMatch(/^2026-11-29T06:0/);
    f.now += 60_000;
    f.attempt('202', 77, 'example.net', 'bob@example.net', 'deferred');
    f.now += 300_000;
    f.attempt('203', 77, 'example.net', 'bob@example.net', 'delivered');
    t = trailModel(f.index.trail('77')!);
    expect(t.state).toBe('delivered');
    expect(t.incomplete).toBe(false);
    expect(t.attempts).toBe(3);
    const groups = [...new Set(t.steps.map((s) => s.group))];
    expect(groups).toEqual(['inbound session from 192.0.2.7', 'delivery attempt 1 · example.net', 'delivery attempt 2 · example.net', 'delivery attempt 3 · example.net']);
    // The inbound session is linked through its span: connect to connection-end, in order.
    const inbound = t.steps.filter((s) => s.group.startsWith('inbound')).map((s) => s.ev.type);
    expect(inbound[0]).toBe('smtp.connection-start');
    expect(inbound).toContain('queue.queue-message');
    expect(inbound[inbound.length - 1]).toBe('smtp.connection-end');
    // The two greylistings stand out, the delivery does not.
    expect(t.steps.filter((s) => s.bad).map((s) => s.ev.type)).toEqual(['delivery.failed', 'delivery.failed']);
    expect(t.steps[t.steps.length - 1]!.offsetMs).toBeGreaterThan(420_000);
    const d = f.index.domains().find((x) => x.domain === 'example.net')!;
    expect(d).toMatchObject({ attempts: 3, delivered: 1, deferred: 2, failed: 0, waiting: 0, lastReply: '250 2.0.0 Ok', tls: 'ok 1.3' });
  });

  it('a bounce with a DSN: failed, the DSN steps grouped and marked, the domain counts a failure', () => {
    const f = new MailFeed().inbound('111', 88, 'ann@example.com', ['nobody@example.org']);
    f.attempt('211', 88, 'example.org', 'nobody@example.org', 'bounced');
    const t = trailModel(f.index.trail('88')!);
    expect(t.state).toBe('failed');
    expect(t.dsns).toBe(1);
    const dsn = t.steps.filter((s) => s.group === 'DSN').map((s) => s.ev.type);
    expect(dsn).toEqual(['delivery.dsn-perm-fail', 'queue.queue-dsn']);
    expect(t.steps.find((s) => s.ev.type === 'delivery.rcpt-to-rejected')!.bad).toBe(true);
    expect(t.steps.find((s) => s.ev.type === 'delivery.rcpt-to-rejected')!.detail).toContain('code=550 details=5.1.1 User unknown');
    const rows = domainRows(f.index.domains(), DOMAIN_SORT, '');
    expect(rows[0]).toMatchObject({ domain: 'example.org', failed: 1, lastReplyBad: true });
  });

  it('says when the start of a trail was not seen', () => {
    const f = new MailFeed();
    f.attempt('301', 99, 'example.net', 'x@example.net', 'delivered');
    expect(trailModel(f.index.trail('99')!).incomplete).toBe(true);
  });

  it('finds messages by queue id, address and remote IP', () => {
    const f = new MailFeed().inbound('121', 5001, 'carol@example.org', ['dave@example.com'], '203.0.113.44');
    f.inbound('122', 5002, 'eve@example.net', ['dave@example.com'], '198.51.100.3');
    expect(f.index.search('5001').map((m) => m.queueId)).toEqual(['5001']);
    expect(f.index.search('DAVE@').map((m) => m.queueId)).toEqual(['5002', '5001']);
    expect(f.index.search('203.0.113.44').map((m) => m.queueId)).toEqual(['5001']);
  });

  it('draws a waterfall cell: the step at its place, its duration before it', () => {
    expect(waterfallBar(0, undefined, 1000, 10)).toBe('●·········');
    expect(waterfallBar(1000, 500, 1000, 11)).toBe('······━━━━●');
  });
});
