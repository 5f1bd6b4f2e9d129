import type { TelemetryEvent } from '../../runtime/event.js';
import { encodeWebhookEvent015 } from './fast-encode.js';

/** An encoded batch: the body bytes and each event's JSON (kept for a retry). */
export interface EncodedBatch {
  body: Buffer;
  parts: string[];
}

/**
 * The POST body of one batch as bytes: `{"events":[…]}`, each event encoded as the shared webhook
 * encoder (src/format/json-encode.ts) does, through its faster twin (fast-encode.ts), and
 * written straight into one growing buffer. Same bytes as `Buffer.from(encodeWebhookBody(batch))`, without first building a string of the whole batch
 * (a batch may hold tens of thousands of events; the big string cost more than the encoding).
 * `known` gives events already encoded by a failed attempt (v0.15 ids carry no counter, so an
 * event's JSON never changes): a receiver that is down does not cost a re-encoding per retry.
 */
export function encodeBatch(batch: readonly TelemetryEvent[], known?: WeakMap<TelemetryEvent, string>): EncodedBatch {
  let buf = Buffer.allocUnsafe(Math.max(1024, batch.length * 256));
  let n = 0;
  const parts: string[] = new Array(batch.length);
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
    const ev = batch[i]!;
    const json = known?.get(ev) ?? encodeWebhookEvent015(ev);
    parts[i] = json;
    write(json);
  }
  write(']}');
  return { body: buf.subarray(0, n), parts };
}
