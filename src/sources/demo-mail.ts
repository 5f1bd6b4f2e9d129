import type { IncomingEvent } from '../runtime/event.js';
import { LOCAL_DOMAIN, REMOTE_DOMAINS, type DemoMessage, type DemoWorld } from './demo-world.js';

const HELO_BOTS = ['bulk-mailer.example', 'user-pc', '[203.0.113.66]'];

/** An inbound MX session on port 25: checks, recipients, local ingest, queueing. */
export function smtpInbound(w: DemoWorld): IncomingEvent[] {
  const r = w.rng;
  const span = w.spanId();
  const out: IncomingEvent[] = [];
  const e = (type: Parameters<DemoWorld['event']>[0], data: IncomingEvent['data']) => out.push(w.event(type, data, span));
  const remoteIp = w.remoteIp();
  const bot = r.chance(0.15);
  const peerDomain = r.pick(REMOTE_DOMAINS);
  let elapsed = w.ms(5, 40);

  out.push(w.event('smtp.connection-start', { listenerId: 'smtp', localPort: 25, remoteIp, remotePort: w.remotePort() }, span));
  const helo = bot ? r.pick(HELO_BOTS) : `mx${r.int(1, 3)}.${peerDomain}`;
  e('smtp.ehlo', { domain: helo });
  if (!bot || r.chance(0.3)) {
    e('smtp.start-tls', {});
    e('tls.handshake', { version: w.tlsVersion() });
  }
  const iprev = w.ms(2, 300);
  elapsed += iprev;
  if (bot) e('smtp.iprev-fail', { elapsed: iprev });
  else e('smtp.iprev-pass', { domain: helo, elapsed: iprev });

  if (bot && r.chance(0.4)) {
    e('smtp.rate-limit-exceeded', { id: 'inbound-ip', limit: 5 });
    return finish(w, out, span, elapsed + w.ms(10, 200));
  }

  const from = bot ? `${r.pick(['promo', 'winner', 'admin'])}@${r.pick(REMOTE_DOMAINS)}` : w.remoteAddress();
  const fromDomain = from.slice(from.indexOf('@') + 1);
  e('smtp.mail-from', { from });
  const spf = w.ms(3, 250);
  elapsed += spf;
  const spfPass = !bot || r.chance(0.3);
  e(spfPass ? 'smtp.spf-from-pass' : 'smtp.spf-from-fail', { domain: fromDomain, from, elapsed: spf });

  const accepted: string[] = [];
  const users: number[] = [];
  for (let i = r.int(1, 3); i > 0; i--) {
    if (bot && r.chance(0.2)) {
      e('smtp.relay-not-allowed', { to: w.remoteAddress() });
      continue;
    }
    if (r.chance(0.08)) {
      const to = `${r.pick(['sales', 'postmaster2', 'jobs'])}@${LOCAL_DOMAIN}`;
      e('smtp.rcpt-to', { to });
      e('smtp.mailbox-does-not-exist', { to });
      continue;
    }
    const user = w.user();
    if (accepted.includes(user.email)) continue;
    accepted.push(user.email);
    users.push(user.accountId);
    e('smtp.rcpt-to', { to: user.email });
  }
  if (accepted.length === 0) return finish(w, out, span, elapsed + w.ms(20, 400));

  const dkim = w.ms(1, 80);
  const authPass = spfPass && r.chance(0.9);
  e(authPass ? 'smtp.dkim-pass' : 'smtp.dkim-fail', { domain: fromDomain, elapsed: dkim });
  e(authPass ? 'smtp.dmarc-pass' : 'smtp.dmarc-fail', { domain: fromDomain, policy: r.pick(['none', 'quarantine', 'reject']), elapsed: w.ms(0, 40) });

  const size = w.size();
  const spam = bot || !authPass;
  for (const accountId of users) {
    const took = w.ms(4, 120);
    elapsed += took;
    if (r.chance(0.01)) {
      e('message-ingest.error', { accountId, reason: 'Failed to write blob', causedBy: 'store/src/dispatch/blob.rs:102' });
      continue;
    }
    e(spam ? 'message-ingest.spam' : 'message-ingest.ham', { accountId, documentId: w.documentId(), size, elapsed: took });
  }
  e('queue.queue-message', { queueId: w.queueId(), from, to: accepted, size, total: accepted.length });
  return finish(w, out, span, elapsed + w.ms(30, 900));
}

/** An authenticated submission on port 587; a queued message joins the outbox. */
export function smtpSubmission(w: DemoWorld): IncomingEvent[] {
  const r = w.rng;
  const span = w.spanId();
  const out: IncomingEvent[] = [];
  const e = (type: Parameters<DemoWorld['event']>[0], data: IncomingEvent['data']) => out.push(w.event(type, data, span));
  const remoteIp = w.remoteIp();
  const user = w.user();

  out.push(w.event('smtp.connection-start', { listenerId: 'submission', localPort: 587, remoteIp, remotePort: w.remotePort() }, span));
  e('smtp.ehlo', { domain: `${user.email.slice(0, user.email.indexOf('@'))}-laptop.${LOCAL_DOMAIN}` });
  e('smtp.start-tls', {});
  e('tls.handshake', { version: w.tlsVersion() });
  if (r.chance(0.12)) {
    e('auth.failed', { accountName: user.email });
    if (r.chance(0.4)) {
      e('auth.failed', { accountName: user.email });
      e('auth.too-many-attempts', { accountName: user.email });
      e('security.authentication-ban', { remoteIp });
    }
    return finish(w, out, span, w.ms(200, 3000));
  }
  e('auth.success', { accountName: user.email, accountId: user.accountId });
  e('smtp.mail-from', { from: user.email });
  const to: string[] = [];
  for (let i = r.int(1, 3); i > 0; i--) {
    const rcpt = w.remoteAddress();
    if (to.includes(rcpt)) continue;
    to.push(rcpt);
    e('smtp.rcpt-to', { to: rcpt });
  }
  const msg: DemoMessage = { queueId: w.queueId(), from: user.email, to, size: w.size() };
  e('queue.queue-message-authenticated', { queueId: msg.queueId, from: msg.from, to, size: msg.size, total: to.length });
  if (w.outbox.length < 64) w.outbox.push(msg);
  return finish(w, out, span, w.ms(80, 1500));
}

function finish(w: DemoWorld, out: IncomingEvent[], span: string, elapsed: number): IncomingEvent[] {
  out.push(w.event('smtp.quit', {}, span));
  out.push(w.event('smtp.connection-end', { elapsed }, span));
  return out;
}

/** Seconds between attempts, as a queue's retry schedule would space them (demo-short). */
const RETRY_MS = [60_000, 300_000, 900_000];
/** Domains with their own habits, so the domains view has something to tell. */
const GREYLISTS = 'lists.example.org';
const NO_TLS = 'news.example.net';
const MTA_STS = 'example.org';
const DANE = 'example.net';

/**
 * One outbound delivery attempt for one queued message, one domain at a time. Deferred
 * recipients go back to the outbox for another attempt (`queue.rescheduled` with the next retry
 * time, as a delay the source turns into a timestamp); after the last attempt, or on a 5xx, the
 * sender gets a DSN (`delivery.dsn-perm-fail` and `queue.queue-dsn`).
 */
export function delivery(w: DemoWorld): IncomingEvent[] {
  const r = w.rng;
  const msg = w.outbox.shift() ?? { queueId: w.queueId(), from: w.user().email, to: [w.remoteAddress()], size: w.size() };
  const attempt = msg.attempt ?? 1;
  const span = w.spanId();
  const out: IncomingEvent[] = [];
  const e = (type: Parameters<DemoWorld['event']>[0], data: IncomingEvent['data']) => out.push(w.event(type, data, span));
  let elapsed = 0;
  const deferred: string[] = [];
  const bounced: { to: string; hostname: string; code: number; details: string }[] = [];

  out.push(w.event('delivery.attempt-start', { queueId: msg.queueId, from: msg.from, to: msg.to, size: msg.size, total: msg.to.length }, span));
  const byDomain = new Map<string, string[]>();
  for (const to of msg.to) {
    const domain = to.slice(to.indexOf('@') + 1);
    byDomain.set(domain, [...(byDomain.get(domain) ?? []), to]);
  }
  for (const [domain, rcpts] of byDomain) {
    e('delivery.domain-delivery-start', { domain, total: rcpts.length });
    if (r.chance(0.02)) {
      e('delivery.rate-limit-exceeded', { domain, limit: 100 });
      deferred.push(...rcpts);
      continue;
    }
    const mx = w.ms(2, 120);
    const hostname = `mx${r.int(1, 2)}.${domain}`;
    e('delivery.mx-lookup', { domain, elapsed: mx });
    if (domain === MTA_STS) e(r.chance(0.95) ? 'mta-sts.authorized' : 'mta-sts.not-authorized', { hostname, domain });
    const connect = w.ms(15, 900);
    elapsed += mx + connect;
    if (r.chance(0.06)) {
      e('delivery.connect-error', { hostname, reason: r.pick(['Connection refused', 'Connection timed out']), elapsed: connect });
      deferred.push(...rcpts);
      continue;
    }
    e('delivery.connect', { hostname, localIp: '198.51.100.25', remoteIp: w.remoteIp(), remotePort: 25, elapsed: connect });
    if (domain === NO_TLS && r.chance(0.7)) e('delivery.start-tls-unavailable', { hostname, code: 502, details: '5.5.1 STARTTLS not supported' });
    else {
      e('delivery.start-tls', { hostname, version: w.tlsVersion(), elapsed: w.ms(5, 60) });
      if (domain === DANE) e(r.chance(0.97) ? 'dane.authentication-success' : 'dane.authentication-failure', { hostname });
    }
    for (const to of rcpts) {
      const took = w.ms(40, 1200);
      elapsed += took;
      const roll = r.next();
      if (roll < 0.04) {
        const details = '5.1.1 User unknown';
        e('delivery.rcpt-to-rejected', { hostname, to, code: 550, details });
        bounced.push({ to, hostname, code: 550, details });
      } else if (roll < (domain === GREYLISTS && attempt === 1 ? 0.7 : 0.1)) {
        e('delivery.failed', { hostname, to, code: 451, details: '4.7.1 Greylisted, please try again later', elapsed: took });
        deferred.push(to);
      } else {
        e('delivery.delivered', { hostname, to, code: 250, details: `2.0.0 Ok: queued as ${r.u32().toString(16).toUpperCase()}`, elapsed: took });
      }
    }
  }
  const giveUp = attempt >= RETRY_MS.length + 1;
  if (giveUp) for (const to of deferred) bounced.push({ to, hostname: `mx1.${to.slice(to.indexOf('@') + 1)}`, code: 451, details: '4.4.7 Delivery time expired' });
  for (const b of bounced) e('delivery.dsn-perm-fail', { to: b.to, hostname: b.hostname, code: b.code, details: b.details });
  if (bounced.length > 0) e('queue.queue-dsn', { queueId: w.queueId(), from: '', to: [msg.from], size: w.ms(2_000, 8_000), total: 1 });
  out.push(w.event('delivery.attempt-end', { elapsed }, span));
  if (deferred.length > 0 && !giveUp) {
    // nextRetry and the others are delays here; the source stamps them as timestamps.
    out.push(w.event('queue.rescheduled', { queueId: msg.queueId, nextRetry: RETRY_MS[attempt - 1]!, nextDsn: 14_400_000, expires: 432_000_000 }, span));
    if (w.outbox.length < 64) w.outbox.push({ ...msg, to: deferred, attempt: attempt + 1 });
  } else out.push(w.event('delivery.completed', { elapsed: elapsed + w.ms(100, 5000) }, span));
  return out;
}

/** Stalwart's timestamp keys a generated event carries as delays (ms from its creation). */
const STAMPED = ['nextRetry', 'nextDsn', 'expires'] as const;

/** Turns the delays of `queue.rescheduled` into timestamps from `createdAt` (the source's clock). */
export function stampTimes(ev: IncomingEvent, createdAt: number): void {
  for (const k of STAMPED) {
    const v = ev.data[k];
    if (typeof v === 'number') ev.data = { ...ev.data, [k]: new Date(createdAt + v).toISOString() };
  }
}
