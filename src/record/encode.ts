import { SPAN_START_TO_END } from '../catalogue/index.js';
import { encodeWebhookEvent } from '../format/json-encode.js';
import type { TelemetryEvent } from '../runtime/event.js';

/**
 * One recorded event: the webhook shape (docs/stalwart.md §3, what the replay source reads) with the source id
 * added, and `createdAt` to the millisecond when the event has one (Stalwart's own stamps are
 * whole seconds and stay in its form):
 * `{"id","createdAt","type","source","ownKeys","data":{own keys, spanId, span keys}}`.
 *
 * `ownKeys` (events of a span other than its start): how many of `data`'s keys (not counting
 * `spanId`) are the event's own; the rest are its span's, appended as Stalwart's webhook does. The
 * webhook shape alone cannot tell an own key at the end whose value equals the span's (a
 * `delivery.domain-delivery-start` with `total = 1` in a span with `total = 1`) from an appended
 * span key: a reader that knows `ownKeys` (record/read.ts) keeps exactly the own keys.
 */
export function encodeRecordLine(ev: TelemetryEvent): string {
  let line = encodeWebhookEvent(ev, '0.15');
  if (ev.createdAt % 1000 !== 0 && Number.isFinite(ev.createdAt)) {
    const at = line.indexOf('"createdAt":"') + 13;
    line = line.slice(0, at) + new Date(ev.createdAt).toISOString() + line.slice(at + 20);
  }
  let extra = '';
  if (ev.source !== undefined) extra += ',"source":' + JSON.stringify(ev.source);
  if (ev.spanId !== undefined && !Object.hasOwn(SPAN_START_TO_END, ev.type)) extra += ',"ownKeys":' + ownKeys(ev);
  if (extra !== '') {
    const at = line.indexOf(',"data":');
    line = line.slice(0, at) + extra + line.slice(at);
  }
  return line + '\n';
}

/** The own keys the webhook encoder writes: those with a value, `spanId` aside. */
function ownKeys(ev: TelemetryEvent): number {
  let n = 0;
  for (const key in ev.data) {
    const v = ev.data[key];
    if (key !== 'spanId' && v !== null && v !== undefined) n++;
  }
  return n;
}
