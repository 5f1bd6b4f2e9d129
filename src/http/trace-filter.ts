/**
 * The live tracing stream's query filters (docs/stalwart.md §4), with Stalwart's matching rules:
 *
 * - `filter=<text>`: one key of the event (own keys, then span keys) whose value contains the text
 *   is enough.
 * - `<key-id>=<text>` (kebab-case key id, parameter name lower-cased; unknown names are ignored,
 *   so `token=` and `interval=` are not filters): every key filter must match. With `filter=`
 *   present as well, one match of either kind is enough.
 * - v0.16 routes, as v0.16 does (crates/http/src/api/telemetry.rs:59): the parameter name is
 *   lower-cased and then looked up among the camelCase key names, so only one-word keys
 *   (`domain`, `code`, `from`...) filter; `remote-ip` and `remoteIp` alike are ignored, and a
 *   stream whose every key filter is ignored (and no `filter=`) is unfiltered.
 * - What can match: strings (IPs and RFC3339 timestamps are strings in mailtel's model) by
 *   substring, booleans by exactly `true`/`false`. Numbers, durations, lists and nested events
 *   never match.
 * - Span following: once an event with a span id matches, every later event of that span passes
 *   unfiltered. mailtel forgets the span at its end event (Stalwart never does), so a long-lived
 *   stream does not grow without bound.
 */
import { SPAN_ENDS } from '../catalogue/index.js';
import { keyId } from '../catalogue/keys.js';
import type { EventData, TelemetryEvent } from '../runtime/event.js';

/** Stalwart's 66 event keys (v0.15.5 = v0.16), as written in JSON. */
const KEYS = [
  'accountName', 'accountId', 'blobId', 'causedBy', 'changeId', 'code', 'collection', 'contents', 'details',
  'dkimFail', 'dkimNone', 'dkimPass', 'dmarcNone', 'dmarcPass', 'dmarcQuarantine', 'dmarcReject', 'documentId',
  'domain', 'due', 'elapsed', 'expires', 'from', 'hostname', 'id', 'key', 'limit', 'listenerId', 'localIp',
  'localPort', 'mailboxName', 'mailboxId', 'messageId', 'nextDsn', 'nextRetry', 'path', 'policy', 'queueId',
  'rangeFrom', 'rangeTo', 'reason', 'remoteIp', 'remotePort', 'reportId', 'result', 'size', 'source', 'spanId',
  'spfFail', 'spfNone', 'spfPass', 'strict', 'tls', 'to', 'total', 'totalFailures', 'totalSuccesses', 'type',
  'uid', 'uidNext', 'uidValidity', 'url', 'validFrom', 'validTo', 'value', 'version', 'queueName',
] as const;

/** Kebab-case id (`remote-ip`) → JSON key (`remoteIp`). */
const BY_ID = new Map<string, string>(KEYS.map((k) => [keyId(k), k]));
/** v0.16's lookup: the camelCase names as they are. */
const BY_NAME = new Set<string>(KEYS);

/** Most span ids followed at once; the oldest is forgotten past this. */
const MAX_FOLLOWED = 100_000;

export interface TraceQuery {
  filter?: string;
  /** JSON key name → needle. */
  keys: Map<string, string>;
}

/**
 * Reads `filter` and `<key-id>` parameters as Stalwart does (the last value of a name wins);
 * `v016`: as v0.16 does, the lower-cased name must be a camelCase key name.
 */
export function parseTraceQuery(params: URLSearchParams, v016 = false): TraceQuery {
  const q: TraceQuery = { keys: new Map() };
  for (const [name, value] of params) {
    if (name === 'filter') q.filter = value;
    else {
      const lower = name.toLowerCase();
      const key = v016 ? (BY_NAME.has(lower) ? lower : undefined) : BY_ID.get(lower);
      if (key !== undefined) q.keys.set(key, value);
    }
  }
  return q;
}

export function isOpenQuery(q: TraceQuery): boolean {
  return q.filter === undefined && q.keys.size === 0;
}

/** A stateful matcher for one client (it remembers the spans it follows). */
export class TraceFilter {
  private readonly followed = new Set<string>();

  constructor(private readonly q: TraceQuery) {}

  /** True when the event passes. Call once per event, in order. */
  test(ev: TelemetryEvent): boolean {
    const span = ev.spanId;
    if (span !== undefined && this.followed.has(span)) {
      if (SPAN_ENDS.has(ev.type)) this.followed.delete(span);
      return true;
    }
    const matched = new Set<string>();
    if (this.scan(ev.data, matched) || (ev.span !== undefined && this.scan(ev.span, matched))) {
      if (span !== undefined && !SPAN_ENDS.has(ev.type)) this.follow(span);
      return true;
    }
    return false;
  }

  private scan(data: EventData, matched: Set<string>): boolean {
    const { filter, keys } = this.q;
    for (const key in data) {
      const needle = keys.get(key) ?? filter;
      if (needle === undefined || !valueMatches(data[key], needle)) continue;
      matched.add(key);
      if (filter !== undefined || matched.size === keys.size) return true;
    }
    return false;
  }

  private follow(span: string): void {
    if (this.followed.size >= MAX_FOLLOWED) this.followed.delete(this.followed.values().next().value!);
    this.followed.add(span);
  }
}

function valueMatches(v: unknown, needle: string): boolean {
  if (typeof v === 'string') return v.includes(needle);
  if (typeof v === 'boolean') return needle === (v ? 'true' : 'false');
  return false;
}
