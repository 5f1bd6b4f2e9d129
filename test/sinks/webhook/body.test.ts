import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeWebhookBody } from '../../../src/format/json-encode.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { batchBody, EventBytes, type PendingEvent } from '../../../src/sinks/webhook/body.js';
import { signBody } from '../../../src/sinks/webhook/signature.js';
import { ROOT } from '../../helpers/cli.js';

function fixture(): TelemetryEvent[] {
  const out: TelemetryEvent[] = [];
  for (const line of readFileSync(`${ROOT}test/fixtures/replay/small.ndjson`, 'utf8').split('\n')) {
    let ev;
    try {
      ev = JSON.parse(line);
    } catch {
      continue;
    }
    if (!ev || typeof ev.type !== 'string') continue;
    const data = { ...ev.data };
    delete data.spanId;
    const span = /"spanId":(\d+)/.exec(line)?.[1];
    out.push({ seq: out.length + 1, type: ev.type, level: 'info', createdAt: Date.parse(ev.createdAt), data, ...(span ? { spanId: span } : {}), text: '' });
  }
  return out;
}

const shared = (events: readonly TelemetryEvent[]) => Buffer.from(encodeWebhookBody(events, '0.15'), 'utf8');

describe('webhook batch body', () => {
  it('is byte for byte the shared encoder output, multi-byte text and slab edges included', () => {
    const events = fixture();
    events.push({ seq: 99, type: 'auth.success', level: 'info', createdAt: 1750010577000, data: { accountName: 'żółw €', list: [1, 'a', null], nested: { type: 'x.y', data: { a: 1, b: null } } }, text: '' });
    expect(events.length).toBeGreaterThan(40);
    const wide = events.map((e) => ({ ...e, data: { ...e.data, note: '😀'.repeat(40) } }));
    // Larger than a slab: a slab of its own, and the events after it go on in the next.
    const huge = { ...events[0]!, data: { blob: 'x'.repeat(300_000), more: 'ü'.repeat(100_000) } };
    const many = Array.from({ length: 3000 }, (_, i) => events[i % events.length]!);
    const bytes = new EventBytes();
    for (const batch of [[], events.slice(0, 1), events, wide, [...events, huge, ...wide.slice(-3)], many]) {
      expect(batchBody(batch.map((e) => bytes.add(e))).equals(shared(batch))).toBe(true);
    }
    expect(JSON.parse(batchBody(events.map((e) => bytes.add(e))).toString()).events).toHaveLength(events.length);
  });

  it('a retry re-sends each event’s bytes as encoded on arrival, in any order, not encoding again', () => {
    const events = fixture();
    const bytes = new EventBytes();
    const pending = events.slice(0, 12).map((e) => bytes.add(e));
    expect(batchBody(pending.slice(0, 10)).equals(shared(events.slice(0, 10)))).toBe(true);
    expect(batchBody(pending).equals(shared(events.slice(0, 12)))).toBe(true);
    const mixed = [pending[3]!, pending[1]!, pending[2]!, pending[0]!];
    expect(batchBody(mixed).equals(shared([3, 1, 2, 0].map((i) => events[i]!)))).toBe(true);
    // The stored bytes are written as they are: an event changed since is not encoded again.
    events[1]!.data = { marker: 1 };
    expect(batchBody(pending.slice(0, 2)).equals(shared(fixture().slice(0, 2)))).toBe(true);
  });

  it('compacts the bytes of a few events left in many slabs, keeping them the same', () => {
    const events = fixture();
    const bytes = new EventBytes();
    const all: PendingEvent[] = [];
    for (let i = 0; i < 20_000; i++) all.push(bytes.add(events[i % events.length]!));
    const kept = all.filter((_, i) => i % 1000 === 7);
    const slabs = (list: PendingEvent[]) => new Set(list.map((p) => p.slab)).size;
    expect(slabs(kept)).toBeGreaterThan(10);
    bytes.compact(kept);
    expect(slabs(kept)).toBe(1);
    expect(batchBody(kept).equals(shared(kept.map((p) => p.ev)))).toBe(true);
    // A list already dense is left where it is.
    const dense = all.slice(-3000);
    const before = dense[0]!.slab;
    bytes.compact(dense);
    expect(dense[0]!.slab).toBe(before);
  });

  it('signs each body as it grows, the same signature as over the whole body', () => {
    const events = fixture();
    const huge = { ...events[0]!, data: { blob: 'x'.repeat(300_000), more: 'ü'.repeat(100_000) } };
    const bytes = new EventBytes('k€y');
    const send = (batch: PendingEvent[]) => {
      const body = batchBody(batch);
      expect(body.equals(shared(batch.map((p) => p.ev)))).toBe(true);
      return [bytes.sign(batch, body), signBody('k€y', body)];
    };
    // Empty, one event, several slabs, a slab of its own, after a failed send put back.
    const batches = [[], events.slice(0, 1), Array.from({ length: 3000 }, (_, i) => events[i % events.length]!), [events[0]!, huge, events[1]!], events];
    for (const evs of batches) {
      const [running, whole] = send(evs.map((e) => bytes.add(e)));
      expect(running).toBe(whole);
    }
    const failed = events.slice(0, 5).map((e) => bytes.add(e));
    send(failed);
    const more = events.slice(5, 9).map((e) => bytes.add(e));
    bytes.invalidate();
    const [running, whole] = send([...failed, ...more]);
    expect(running).toBe(whole);
    // A batch that is not what was added is signed over its body, never with the running HMAC.
    const added = events.slice(0, 6).map((e) => bytes.add(e));
    const [r2, w2] = send(added.slice(1));
    expect(r2).toBe(w2);
    expect(new EventBytes().sign([], batchBody([]))).toBeUndefined();
  });
});
