import { isIP } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isEvent, SPAN_START_TO_END } from '../../src/catalogue/index.js';
import type { IncomingEvent } from '../../src/runtime/event.js';
import { DemoGenerator } from '../../src/sources/demo-generator.js';
import { DEMO_EVENT_NAMES } from '../../src/sources/demo-names.js';

// docs/stalwart.md §5: the 66 keys of v0.15.5.
const KEYS = new Set(
  ('accountName accountId blobId causedBy changeId code collection contents details dkimFail dkimNone dkimPass ' +
    'dmarcNone dmarcPass dmarcQuarantine dmarcReject documentId domain due elapsed expires from hostname id key limit ' +
    'listenerId localIp localPort mailboxName mailboxId messageId nextDsn nextRetry path policy queueId rangeFrom ' +
    'rangeTo reason remoteIp remotePort reportId result size source spanId spfFail spfNone spfPass strict tls to ' +
    'total totalFailures totalSuccesses type uid uidNext uidValidity url validFrom validTo value version queueName').split(' '),
);
const SPANLESS = new Set(['queue.back-pressure', 'limit.too-many-requests', 'dkim.signer-not-found', 'store.unexpected-error', 'security.scan-ban']);
const AFTER_END = new Set(['delivery.completed', 'queue.rescheduled']);

function generate(seed: number, n: number): IncomingEvent[] {
  const gen = new DemoGenerator(seed);
  return Array.from({ length: n }, () => gen.next());
}

describe('demo traffic', () => {
  const events = generate(1234, 50_000);

  it('uses only catalogue names, and every listed name shows up', () => {
    expect(KEYS.size).toBe(66);
    for (const name of DEMO_EVENT_NAMES) expect(isEvent(name), name).toBe(true);
    const seen = new Set(events.map((e) => e.type));
    expect([...seen].filter((n) => !isEvent(n))).toEqual([]);
    expect([...DEMO_EVENT_NAMES].filter((n) => !seen.has(n))).toEqual([]);
  });

  it('uses docs/stalwart.md §5 keys with the right value kinds', () => {
    const bad: string[] = [];
    const ints = new Set(['elapsed', 'size', 'localPort', 'remotePort', 'queueId', 'accountId', 'total', 'code']);
    for (const ev of events) {
      for (const [key, v] of Object.entries(ev.data)) {
        if (!KEYS.has(key)) bad.push(`${ev.type}: unknown key ${key}`);
        if ((key === 'remoteIp' || key === 'localIp') && !(typeof v === 'string' && isIP(v) > 0)) bad.push(`${ev.type}: ${key}=${String(v)}`);
        if (ints.has(key) && !(Number.isSafeInteger(v) && (v as number) >= 0)) bad.push(`${ev.type}: ${key}=${String(v)}`);
      }
      if (ev.spanId !== undefined && !/^[1-9]\d{0,19}$/.test(ev.spanId)) bad.push(`${ev.type}: spanId=${ev.spanId}`);
      if (ev.createdAt !== undefined) bad.push(`${ev.type}: createdAt set by the generator`);
    }
    expect(bad).toEqual([]);
    const start = events.find((e) => e.type === 'smtp.connection-start' && e.data.listenerId === 'smtp')!;
    expect(Object.keys(start.data)).toEqual(['listenerId', 'localPort', 'remoteIp', 'remotePort']);
    expect(start.data.localPort).toBe(25);
    const size = events.find((e) => e.type === 'message-ingest.ham')!.data.size as number;
    expect(size).toBeGreaterThanOrEqual(1500);
  });

  it('builds well-formed, overlapping spans', () => {
    const open = new Map<string, string>();
    const closed = new Set<string>();
    let maxOpen = 0;
    let spans = 0;
    for (const ev of events) {
      if (ev.spanId === undefined) {
        expect(SPANLESS.has(ev.type), ev.type).toBe(true);
        continue;
      }
      const id = ev.spanId;
      if (Object.hasOwn(SPAN_START_TO_END, ev.type)) {
        expect(open.has(id) || closed.has(id), `span ${id} reused`).toBe(false);
        open.set(id, SPAN_START_TO_END[ev.type]!);
        spans++;
        maxOpen = Math.max(maxOpen, open.size);
      } else if (open.has(id)) {
        if (open.get(id) === ev.type) {
          open.delete(id);
          closed.add(id);
        } else {
          expect(Object.values(SPAN_START_TO_END).includes(ev.type), `${ev.type} closes the wrong span`).toBe(false);
        }
      } else {
        expect(closed.has(id) && AFTER_END.has(ev.type), `${ev.type} outside its span`).toBe(true);
      }
    }
    expect(spans).toBeGreaterThan(3000);
    expect(open.size).toBeLessThanOrEqual(8);
    expect(maxOpen).toBeGreaterThanOrEqual(6);
  });

  it('mixes the scenarios, with warnings and errors', () => {
    const count = (pred: (e: IncomingEvent) => boolean) => events.filter(pred).length;
    for (const start of ['smtp.connection-start', 'delivery.attempt-start', 'imap.connection-start', 'http.connection-start']) {
      expect(count((e) => e.type === start), start).toBeGreaterThan(300);
    }
    expect(count((e) => e.type === 'auth.failed')).toBeGreaterThan(20);
    expect(count((e) => e.type === 'store.unexpected-error' || e.type === 'message-ingest.error')).toBeGreaterThan(5);
  });

  it('gives the mail views retries, bounces with DSNs and a brute-force run', () => {
    const attempts = new Map<number, number>();
    for (const e of events) if (e.type === 'delivery.attempt-start') attempts.set(e.data.queueId as number, (attempts.get(e.data.queueId as number) ?? 0) + 1);
    expect([...attempts.values()].filter((n) => n >= 3).length).toBeGreaterThan(5);
    expect(events.filter((e) => e.type === 'delivery.dsn-perm-fail').length).toBeGreaterThan(20);
    expect(events.filter((e) => e.type === 'queue.queue-dsn').length).toBeGreaterThan(20);
    const perSpan = new Map<string, number>();
    for (const e of events.slice(0, 10_000)) if (e.type === 'auth.failed') perSpan.set(e.spanId!, (perSpan.get(e.spanId!) ?? 0) + 1);
    expect(Math.max(...perSpan.values())).toBeGreaterThanOrEqual(60);
  });

  it('is deterministic for a seed, different across seeds', () => {
    expect(generate(1234, 3000)).toEqual(events.slice(0, 3000));
    expect(generate(1235, 3000).map((e) => e.type)).not.toEqual(events.slice(0, 3000).map((e) => e.type));
  });
});
