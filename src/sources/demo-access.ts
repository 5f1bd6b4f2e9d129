import type { IncomingEvent } from '../runtime/event.js';
import { REMOTE_DOMAINS, type DemoWorld } from './demo-world.js';

type Name = Parameters<DemoWorld['event']>[0];

const MAILBOXES = ['INBOX', 'INBOX', 'INBOX', 'Sent', 'Archive', 'Lists'];
const CLIENTS = ['Thunderbird 128.3', 'iOS Mail 18.1', 'K-9 Mail 8.0', 'Evolution 3.52'];
const JMAP_METHODS = ['Email/get', 'Email/query', 'Mailbox/get', 'Email/changes', 'Thread/get', 'Email/set', 'Identity/get'];
const URLS = ['/jmap/', '/jmap/', '/jmap/', '/jmap/session', '/.well-known/jmap', '/jmap/eventsource'];

/** An IMAP session on 993: login, mailbox work, sometimes an append, sometimes IDLE. */
export function imapSession(w: DemoWorld): IncomingEvent[] {
  const r = w.rng;
  const span = w.spanId();
  const out: IncomingEvent[] = [];
  const e = (type: Name, data: IncomingEvent['data']) => out.push(w.event(type, data, span));
  const user = w.user();
  let elapsed = w.ms(20, 200);

  out.push(w.event('imap.connection-start', { listenerId: 'imap', localPort: 993, remoteIp: w.remoteIp(), remotePort: w.remotePort() }, span));
  e('tls.handshake', { version: w.tlsVersion() });
  e('imap.capabilities', {});
  e('imap.id', { details: r.pick(CLIENTS) });
  if (r.chance(0.08)) {
    e('auth.failed', { accountName: user.email });
  } else {
    e('auth.success', { accountName: user.email, accountId: user.accountId });
    e('imap.list', { total: r.int(5, 40) });
    const mailboxName = r.pick(MAILBOXES);
    const total = r.int(0, 25_000);
    e('imap.select', { mailboxName, total, uidValidity: 1700000000 + user.accountId, uidNext: total + r.int(1, 500) });
    for (let i = r.int(1, 3); i > 0; i--) {
      const took = w.ms(1, 400);
      elapsed += took;
      e('imap.fetch', { mailboxName, total: r.int(1, 200), elapsed: took });
    }
    if (r.chance(0.3)) e('imap.search', { mailboxName, total: r.int(0, 300), elapsed: w.ms(2, 700) });
    if (r.chance(0.4)) e('imap.store', { mailboxName, total: r.int(1, 20) });
    if (r.chance(0.1)) {
      const size = w.size();
      const took = w.ms(5, 300);
      e('imap.append', { mailboxName: 'Sent', size });
      e('message-ingest.imap-append', { accountId: user.accountId, documentId: w.documentId(), size, elapsed: took });
    }
    if (r.chance(0.35)) {
      const idle = w.ms(5_000, 1_740_000);
      elapsed += idle;
      e('imap.idle-start', {});
      e('imap.idle-stop', { elapsed: idle });
    }
  }
  e('imap.logout', {});
  e('imap.connection-end', { elapsed });
  return out;
}

/** An HTTPS connection carrying one to three JMAP requests. */
export function httpSession(w: DemoWorld): IncomingEvent[] {
  const r = w.rng;
  const span = w.spanId();
  const out: IncomingEvent[] = [];
  const e = (type: Name, data: IncomingEvent['data']) => out.push(w.event(type, data, span));
  const user = w.user();
  let elapsed = w.ms(5, 80);

  out.push(w.event('http.connection-start', { listenerId: 'https', localPort: 443, remoteIp: w.remoteIp(), remotePort: w.remotePort() }, span));
  e('tls.handshake', { version: w.tlsVersion() });
  if (r.chance(0.02)) e('http.x-forwarded-missing', {});
  for (let req = r.int(1, 3); req > 0; req--) {
    const url = r.pick(URLS);
    e('http.request-url', { url });
    if (r.chance(0.03)) {
      e('http.error', { code: 401, details: 'Unauthorized', url });
      continue;
    }
    e('auth.success', { accountName: user.email, accountId: user.accountId });
    if (url !== '/jmap/') continue;
    for (let calls = r.int(1, 3); calls > 0; calls--) {
      const id = r.pick(JMAP_METHODS);
      const took = w.ms(1, 250);
      elapsed += took;
      if (r.chance(0.04)) e('jmap.invalid-arguments', { id, details: 'Invalid property or value' });
      else e('jmap.method-call', { id, accountId: user.accountId, elapsed: took });
    }
  }
  e('http.connection-end', { elapsed });
  return out;
}

/**
 * A brute-force run: one address tries password after password on the submission port until
 * it is banned. Rare, and much denser than the steady trickle of typos, so the security panel's
 * baseline rule has something to catch.
 */
export function bruteForce(w: DemoWorld): IncomingEvent[] {
  const r = w.rng;
  const span = w.spanId();
  const remoteIp = w.remoteIp();
  const out: IncomingEvent[] = [w.event('smtp.connection-start', { listenerId: 'submission', localPort: 587, remoteIp, remotePort: w.remotePort() }, span)];
  const e = (type: Name, data: IncomingEvent['data']) => out.push(w.event(type, data, span));
  e('smtp.ehlo', { domain: '[' + remoteIp + ']' });
  for (let i = r.int(60, 90); i > 0; i--) e('auth.failed', { accountName: r.pick(['admin', 'info', 'test', w.user().email]) });
  e('auth.too-many-attempts', {});
  e('security.authentication-ban', { remoteIp });
  e('smtp.connection-end', { elapsed: w.ms(20_000, 60_000) });
  return out;
}

/** A lone warning or error outside any span. */
export function incident(w: DemoWorld): IncomingEvent[] {
  const r = w.rng;
  const kind = r.weighted({ backPressure: 3, tooMany: 4, signer: 2, store: 1, scan: 1 });
  const ev = (type: Name, data: IncomingEvent['data']) => [w.event(type, data)];
  switch (kind) {
    case 'backPressure':
      return ev('queue.back-pressure', { total: r.int(1_000, 20_000) });
    case 'tooMany':
      return ev('limit.too-many-requests', { remoteIp: w.remoteIp(), limit: 60 });
    case 'signer':
      return ev('dkim.signer-not-found', { id: `rsa-${r.pick(REMOTE_DOMAINS)}` });
    case 'scan':
      return ev('security.scan-ban', { remoteIp: w.remoteIp() });
    case 'store':
      return ev('store.unexpected-error', { reason: 'Write conflict, retrying', causedBy: 'store/src/write/batch.rs:214' });
  }
}
