import { describe, expect, it } from 'vitest';
import { eventInfo } from '../../src/catalogue/index.js';
import {
  encodeLiveTraceArray,
  encodeLiveTraceEvent,
  encodeWebhookBody,
  webhookEventId,
} from '../../src/format/json.js';
import type { TelemetryEvent } from '../../src/runtime/event.js';

const T0 = Date.UTC(2025, 5, 15, 18, 2, 57);

function tev(partial: Partial<TelemetryEvent> & Pick<TelemetryEvent, 'type' | 'data'>): TelemetryEvent {
  return { seq: 1, level: 'info', createdAt: T0 + 640, text: eventInfo(partial.type)?.description ?? partial.type, ...partial };
}

describe('encodeWebhookBody', () => {
  const ehlo = tev({
    type: 'smtp.ehlo',
    data: { domain: 'mail.example.org', remoteIp: '192.0.2.9', skipped: null, to: ['a@example.org', 'b@example.org'] },
    spanId: '12345678901234567890',
    span: { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.1', remotePort: 40112, spanId: '12345678901234567890' },
  });
  const start = tev({
    type: 'smtp.connection-start',
    data: { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.1', remotePort: 40112 },
    spanId: '77',
    span: { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.1', remotePort: 40112 },
  });
  const nested = tev({
    type: 'message-ingest.error',
    createdAt: T0 + 61_000,
    data: { reason: 'quota "full"\n', causedBy: { type: 'store.not-found', data: { key: 'k', none: null } }, ok: false, ratio: 0.5 },
  });

  it('writes the v0.15 body byte for byte', () => {
    expect(encodeWebhookBody([ehlo, start], '0.15')).toBe(
      '{"events":[' +
        '{"id":"1750010577132","createdAt":"2025-06-15T18:02:57Z","type":"smtp.ehlo","data":' +
        '{"spanId":12345678901234567890,"domain":"mail.example.org","remoteIp":"192.0.2.9",' +
        '"to":["a@example.org","b@example.org"],"listenerId":"smtp","localPort":25,"remotePort":40112}},' +
        '{"id":"1750010577107","createdAt":"2025-06-15T18:02:57Z","type":"smtp.connection-start","data":' +
        '{"listenerId":"smtp","localPort":25,"remoteIp":"192.0.2.1","remotePort":40112,"spanId":77}}' +
        ']}',
    );
  });

  it('encodes nested events, escapes, booleans and floats; unknown names have no type id', () => {
    const unknown = tev({ type: 'custom.thing', data: { n: 1 } });
    expect(encodeWebhookBody([nested, unknown], '0.15')).toBe(
      '{"events":[{"id":"1750010638511","createdAt":"2025-06-15T18:03:58Z","type":"message-ingest.error","data":' +
        '{"reason":"quota \\"full\\"\\n","causedBy":{"type":"store.not-found","data":{"key":"k"}},"ok":false,"ratio":0.5}},' +
        '{"id":"1750010577","createdAt":"2025-06-15T18:02:57Z","type":"custom.thing","data":{"n":1}}]}',
    );
  });

  it('v0.15 ids end with the type id in Stalwart declaration order, not the alphabetical row', () => {
    const at = (type: string) => tev({ type, createdAt: 1_750_010_577_900, data: {} });
    expect(webhookEventId(at('auth.success'), '0.15')).toBe('1750010577551');
    expect(webhookEventId(at('smtp.connection-start'), '0.15')).toBe('1750010577107');
    // registry.* exists only in v0.16: a v0.15 id has no type id to append.
    expect(webhookEventId(at('registry.build-error'), '0.15')).toBe('1750010577');
  });

  it('v0.16 ids put a counter between seconds and the v0.16 type id', () => {
    let c = 5;
    const body = encodeWebhookBody([start, start], '0.16', { nextCounter: () => c++ });
    expect(JSON.parse(body).events.map((e: { id: string }) => e.id)).toEqual(['17500105775417', '17500105776417']);
    const auth = tev({ type: 'auth.success', data: {} });
    const build = tev({ type: 'registry.build-error', data: {} });
    expect(webhookEventId(auth, '0.16', () => 9)).toBe('1750010577937');
    expect(webhookEventId(build, '0.16', () => 0)).toBe('1750010577061');
  });

  it('an empty batch is an empty list', () => {
    expect(encodeWebhookBody([], '0.15')).toBe('{"events":[]}');
  });
});

describe('encodeLiveTraceEvent', () => {
  it('writes text, details, createdAt, type, own data then span keys, without spanId', () => {
    expect(encodeLiveTraceEvent({ ...start(), data: { domain: 'mail.example.org', spanId: '1', gone: null } })).toBe(
      '{"text":"SMTP EHLO command","details":"SMTP EHLO command","createdAt":"2025-06-15T18:02:57Z",' +
        '"type":"smtp.ehlo","data":{"domain":"mail.example.org","remoteIp":"192.0.2.1"}}',
    );
    expect(encodeLiveTraceArray([])).toBe('[]');
    expect(JSON.parse(encodeLiveTraceArray([start(), start()]))).toHaveLength(2);
  });

  it('keeps the first occurrence of a key and gives a nested event its text and details', () => {
    const ev = tev({
      type: 'delivery.connect',
      data: { remoteIp: '198.51.100.7', causedBy: { type: 'network.timeout', data: { spanId: '9', details: 'read' } }, gone: null },
      spanId: '1',
      span: { remoteIp: '192.0.2.1', domain: 'example.org', spanId: '1', gone: 'span value' },
    });
    const data = JSON.parse(encodeLiveTraceEvent(ev)).data;
    expect(Object.keys(data)).toEqual(['remoteIp', 'causedBy', 'domain', 'gone']);
    expect(data.remoteIp).toBe('198.51.100.7');
    const text = eventInfo('network.timeout')!.description;
    expect(data.causedBy).toEqual({ type: 'network.timeout', text, details: text, data: { details: 'read' } });
    expect(Object.keys(data.causedBy)).toEqual(['type', 'text', 'details', 'data']);
  });

  function start(): TelemetryEvent {
    return tev({ type: 'smtp.ehlo', data: { domain: 'mail.example.org' }, spanId: '1', span: { remoteIp: '192.0.2.1' } });
  }
});
