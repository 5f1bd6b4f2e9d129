import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeWebhookBody } from '../../../src/format/json-encode.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { encodeBatch } from '../../../src/sinks/webhook/body.js';
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

describe('webhook batch body', () => {
  it('is byte for byte the shared encoder output, multi-byte text included', () => {
    const events = fixture();
    events.push({ seq: 99, type: 'auth.success', level: 'info', createdAt: 1750010577000, data: { accountName: 'żółw €', list: [1, 'a', null], nested: { type: 'x.y', data: { a: 1, b: null } } }, text: '' });
    expect(events.length).toBeGreaterThan(40);
    for (const batch of [[], events.slice(0, 1), events]) {
      const { body } = encodeBatch(batch);
      expect(body.equals(Buffer.from(encodeWebhookBody(batch, '0.15'), 'utf8'))).toBe(true);
    }
    expect(JSON.parse(encodeBatch(events).body.toString()).events).toHaveLength(events.length);
  });

  it('a retry reuses the events already encoded, and the bytes stay the same', () => {
    const events = fixture();
    const first = encodeBatch(events.slice(0, 10));
    const known = new WeakMap(events.slice(0, 10).map((e, i) => [e, first.parts[i]!] as const));
    const again = encodeBatch(events.slice(0, 12), known);
    expect(again.body.equals(Buffer.from(encodeWebhookBody(events.slice(0, 12), '0.15'), 'utf8'))).toBe(true);
    // The known JSON is written as given, not encoded again.
    const tampered = new WeakMap([[events[1]!, '{"marker":1}']]);
    expect(encodeBatch(events.slice(0, 2), tampered).body.toString()).toContain(',{"marker":1}]}');
  });
});
