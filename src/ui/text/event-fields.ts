import { KEY_KINDS } from '../../catalogue/keys.js';
import { isNestedEvent, type EventData, type TelemetryEvent, type Value } from '../../runtime/event.js';

/**
 * An event's fields (Stalwart calls them keys) as the screen prints them: which ones the
 * one-line view shows first, and how one value reads (`valueText`). Not about keyboard keys
 * (that is view/keymap.ts).
 *
 * Which keys of an event the one-line view shows first: an admin scanning the stream wants the
 * peer, the account and the message before anything else, and what matters differs per
 * family (a delivery is about its queue id and next hop, an IMAP event about the account).
 */
const DEFAULT = ['remoteIp', 'accountName', 'accountId', 'from', 'to', 'queueId', 'size', 'elapsed', 'reason', 'details', 'code', 'domain', 'hostname', 'result', 'total', 'causedBy'];
const MAIL_AUTH = ['domain', 'result', 'remoteIp', 'from', 'to', 'hostname', 'policy', 'strict', 'reason', 'details'];
const SESSION = ['accountName', 'accountId', 'remoteIp', 'mailboxName', 'uid', 'collection', 'documentId', 'details', 'reason', 'elapsed'];
const STORE = ['accountId', 'collection', 'documentId', 'id', 'details', 'reason', 'causedBy', 'elapsed', 'total'];

const BY_FAMILY: Record<string, readonly string[]> = {
  smtp: ['remoteIp', 'from', 'to', 'size', 'queueId', 'accountName', 'reason', 'details', 'code', 'domain', 'hostname', 'elapsed'],
  delivery: ['queueId', 'to', 'from', 'hostname', 'domain', 'remoteIp', 'code', 'reason', 'details', 'elapsed', 'total'],
  queue: ['queueId', 'queueName', 'from', 'to', 'size', 'nextRetry', 'due', 'total', 'reason', 'details'],
  imap: SESSION,
  pop3: SESSION,
  jmap: SESSION,
  'manage-sieve': SESSION,
  'web-dav': SESSION,
  calendar: SESSION,
  http: ['remoteIp', 'url', 'accountName', 'code', 'elapsed', 'details', 'reason'],
  auth: ['accountName', 'remoteIp', 'id', 'reason', 'details'],
  security: ['remoteIp', 'accountName', 'reason', 'details', 'total'],
  spf: MAIL_AUTH,
  dkim: MAIL_AUTH,
  dmarc: MAIL_AUTH,
  arc: MAIL_AUTH,
  iprev: MAIL_AUTH,
  'mail-auth': MAIL_AUTH,
  dane: MAIL_AUTH,
  'mta-sts': MAIL_AUTH,
  'tls-rpt': MAIL_AUTH,
  store: STORE,
  cluster: STORE,
  purge: STORE,
  housekeeper: STORE,
  'task-queue': STORE,
  telemetry: ['id', 'url', 'details', 'reason', 'causedBy', 'total'],
  network: ['remoteIp', 'localPort', 'limit', 'total', 'reason', 'details'],
  tls: ['remoteIp', 'hostname', 'details', 'reason'],
  limit: ['remoteIp', 'accountName', 'limit', 'total', 'reason', 'details'],
  'message-ingest': ['accountName', 'accountId', 'from', 'to', 'size', 'messageId', 'result', 'reason', 'details'],
  spam: ['from', 'to', 'result', 'total', 'reason', 'details'],
  sieve: ['accountName', 'from', 'to', 'result', 'reason', 'details'],
};

/** Keys that only add noise on the one-line view (still shown in the detail view). */
const LAST = new Set(['spanId', 'listenerId', 'localPort', 'remotePort', 'localIp']);

function family(type: string): string {
  const dot = type.indexOf('.');
  return dot < 0 ? type : type.slice(0, dot);
}

/** A value as compact one-line text: durations `12ms`, strings bare (quoted with spaces). */
export function valueText(key: string, v: Value): string {
  if (v === null) return '(null)';
  if (typeof v === 'number') return KEY_KINDS[key] === 'duration' ? `${v}ms` : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return /[\s,=]/.test(v) || v === '' ? JSON.stringify(v) : v;
  if (Array.isArray(v)) return `[${v.map((x) => valueText(key, x)).join(', ')}]`;
  if (isNestedEvent(v)) return v.type;
  return JSON.stringify(v);
}

/** The event's keys, then its span's keys it does not repeat, most useful first. */
export function summaryFields(ev: TelemetryEvent): [string, Value][] {
  const all: EventData = {};
  for (const [k, v] of Object.entries(ev.data)) all[k] = v;
  if (ev.span) for (const [k, v] of Object.entries(ev.span)) if (!(k in all)) all[k] = v;
  const out: [string, Value][] = [];
  const seen = new Set<string>();
  for (const k of BY_FAMILY[family(ev.type)] ?? DEFAULT) {
    if (k in all && all[k] !== null) {
      out.push([k, all[k]!]);
      seen.add(k);
    }
  }
  const tail: [string, Value][] = [];
  for (const [k, v] of Object.entries(all)) {
    if (seen.has(k) || v === null) continue;
    (LAST.has(k) ? tail : out).push([k, v]);
  }
  return out.concat(tail.filter(([k]) => k !== 'spanId'));
}
