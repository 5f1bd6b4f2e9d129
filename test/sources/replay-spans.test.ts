import { describe, expect, it } from 'vitest';
import { parseEventsJson } from '../../src/format/json-parse.js';
import type { IncomingEvent } from '../../src/runtime/event.js';
import { SpanKeyFolder } from '../../src/sources/replay-spans.js';

const LINES = [
  '{"type":"smtp.connection-start","data":{"listenerId":"smtp","localPort":25,"remoteIp":"192.0.2.10","spanId":18446744073709551615}}',
  '{"type":"smtp.ehlo","data":{"spanId":18446744073709551615,"domain":"mx1","listenerId":"smtp","localPort":25,"remoteIp":"192.0.2.10"}}',
  '{"type":"smtp.ehlo","data":{"spanId":18446744073709551615,"domain":"mx1","listenerId":"smtp","localPort":26,"remoteIp":"192.0.2.10"}}',
  '{"type":"smtp.ehlo","data":{"spanId":18446744073709551615,"listenerId":"smtp","localPort":25,"remoteIp":"192.0.2.10"}}',
  '{"type":"smtp.ehlo","data":{"spanId":7,"domain":"mx1","listenerId":"smtp"}}',
  '{"type":"smtp.connection-end","data":{"spanId":18446744073709551615,"elapsed":5,"listenerId":"smtp","localPort":25,"remoteIp":"192.0.2.10"}}',
  '{"type":"smtp.ehlo","data":{"spanId":18446744073709551615,"domain":"mx1","listenerId":"smtp","localPort":25,"remoteIp":"192.0.2.10"}}',
];

describe('SpanKeyFolder', () => {
  it('strips the span start keys a capture appends, while parsing (keep) and after (fold) alike', () => {
    const withHook = new SpanKeyFolder();
    const during = LINES.flatMap((l) => parseEventsJson(l, withHook.keep).events);
    const after = new SpanKeyFolder();
    const folded = LINES.flatMap((l) => parseEventsJson(l).events.map((ev: IncomingEvent) => (after.fold(ev), ev)));
    expect(during).toEqual(folded);
    expect(during.map((e) => e.data)).toEqual([
      { listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.10' },
      { domain: 'mx1' },
      // localPort differs from the span's: it and everything before it stay
      { domain: 'mx1', listenerId: 'smtp', localPort: 26 },
      {},
      // no open span 7
      { domain: 'mx1', listenerId: 'smtp' },
      { elapsed: 5 },
      // the span ended: nothing to fold against
      { domain: 'mx1', listenerId: 'smtp', localPort: 25, remoteIp: '192.0.2.10' },
    ]);
  });
});
