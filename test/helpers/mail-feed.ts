import { Collector } from '../../src/runtime/collector.js';
import type { EventData } from '../../src/runtime/event.js';
import { MailIndex } from '../../src/runtime/mail-index.js';

/**
 * Hand-built event sequences for the mail views: a real Collector stamps each event (level,
 * seq, span keys) and a real MailIndex observes it, on a clock the test moves.
 */
export class MailFeed {
  now = Date.UTC(2026, 10, 29, 6, 0, 0);
  readonly index = new MailIndex();
  readonly collector = new Collector(new Map(), 10_000, () => this.now);

  constructor() {
    this.collector.observe((ev) => this.index.observe(ev, this.now));
  }

  /** One event at the current time, then the clock moves `advanceMs`. */
  emit(type: string, data: EventData, spanId?: string, advanceMs = 100): this {
    this.collector.ingest({ type, data, createdAt: this.now, ...(spanId ? { spanId } : {}) });
    this.now += advanceMs;
    return this;
  }

  /** An inbound session that queues one message. */
  inbound(span: string, queueId: number, from: string, to: string[], remoteIp = '192.0.2.7'): this {
    this.emit('smtp.connection-start', { listenerId: 'smtp', localPort: 25, remoteIp, remotePort: 40000 }, span)
      .emit('smtp.ehlo', { domain: 'mx.example.org' }, span)
      .emit('smtp.mail-from', { from }, span);
    for (const t of to) this.emit('smtp.rcpt-to', { to: t }, span);
    return this.emit('queue.queue-message', { queueId, from, to, size: 1234, total: to.length }, span)
      .emit('smtp.quit', {}, span)
      .emit('smtp.connection-end', { elapsed: 700 }, span);
  }

  /** One delivery attempt of `queueId` to `to` at `domain` ending with `outcome`. */
  attempt(span: string, queueId: number, domain: string, to: string, outcome: 'delivered' | 'deferred' | 'bounced'): this {
    const hostname = `mx.${domain}`;
    this.emit('delivery.attempt-start', { queueId, from: 'a@example.com', to: [to], size: 1234, total: 1 }, span)
      .emit('delivery.domain-delivery-start', { domain, total: 1 }, span)
      .emit('delivery.mx-lookup', { domain, elapsed: 5 }, span)
      .emit('delivery.connect', { hostname, localIp: '198.51.100.25', remoteIp: '203.0.113.9', remotePort: 25, elapsed: 40 }, span)
      .emit('delivery.start-tls', { hostname, version: 'TLSv1.3', elapsed: 10 }, span);
    if (outcome === 'delivered') this.emit('delivery.delivered', { hostname, to, code: 250, details: '2.0.0 Ok', elapsed: 300 }, span);
    else if (outcome === 'deferred') this.emit('delivery.failed', { hostname, to, code: 451, details: '4.7.1 Greylisted', elapsed: 300 }, span);
    else {
      this.emit('delivery.rcpt-to-rejected', { hostname, to, code: 550, details: '5.1.1 User unknown' }, span);
      this.emit('delivery.dsn-perm-fail', { to, hostname, code: 550, details: '5.1.1 User unknown' }, span);
      this.emit('queue.queue-dsn', { queueId: queueId + 1, from: '', to: ['a@example.com'], size: 2000, total: 1 }, span);
    }
    this.emit('delivery.attempt-end', { elapsed: 400 }, span);
    if (outcome === 'deferred') this.emit('queue.rescheduled', { queueId, nextRetry: new Date(this.now + 60_000).toISOString(), nextDsn: '', expires: '' }, span);
    else this.emit('delivery.completed', { elapsed: 500 }, span);
    return this;
  }
}
