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
      const bytes = encodeBatch(batch);
      expect(bytes.equals(Buffer.from(encodeWebhookBody(batch, '0.15'), 'utf8'))).toBe(true);
    }
    expect(JSON.parse(encodeBatch(events).toString()).events).toHaveLength(events.length);
  });
});
