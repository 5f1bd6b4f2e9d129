import { encodeWebhookEvent } from '../format/json-encode.js';
import type { TelemetryEvent } from '../runtime/event.js';

/**
 * One recorded event: the webhook shape (docs/stalwart.md §3, what the replay source reads) with the source id
 * added, and `createdAt` to the millisecond when the event has one (Stalwart's own stamps are
 * whole seconds and stay in its form):
 * `{"id","createdAt","type","source","data":{own keys, spanId, span keys}}`.
 */
export function encodeRecordLine(ev: TelemetryEvent): string {
  let line = encodeWebhookEvent(ev, '0.15');
  if (ev.createdAt % 1000 !== 0 && Number.isFinite(ev.createdAt)) {
    const at = line.indexOf('"createdAt":"') + 13;
    line = line.slice(0, at) + new Date(ev.createdAt).toISOString() + line.slice(at + 20);
  }
  if (ev.source !== undefined) {
    const at = line.indexOf(',"data":');
    line = line.slice(0, at) + ',"source":' + JSON.stringify(ev.source) + line.slice(at);
  }
  return line + '\n';
}
