import { encodeWebhookEvent } from '../../format/json-encode.js';
import type { TelemetryEvent } from '../../runtime/event.js';

/**
 * The POST body of one batch as bytes: `{"events":[…]}`, each event encoded by the shared webhook
 * encoder (src/format/json-encode.ts) and written straight into one growing buffer. Same bytes as
 * `Buffer.from(encodeWebhookBody(batch))`, without first building a string of the whole batch
 * (a batch may hold tens of thousands of events; the big string cost more than the encoding).
 */
export function encodeBatch(batch: readonly TelemetryEvent[]): Buffer {
  let buf = Buffer.allocUnsafe(Math.max(1024, batch.length * 256));
  let n = 0;
  const write = (s: string) => {
    const need = n + s.length * 3;
    if (need > buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, buf.length * 2));
      buf.copy(bigger, 0, 0, n);
      buf = bigger;
    }
    n += buf.write(s, n);
  };
  write('{"events":[');
  for (let i = 0; i < batch.length; i++) {
    if (i > 0) write(',');
    write(encodeWebhookEvent(batch[i]!, '0.15'));
  }
  write(']}');
  return buf.subarray(0, n);
}
