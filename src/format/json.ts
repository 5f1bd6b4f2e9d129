/**
 * The JSON shapes of Stalwart events: parsing both incoming shapes (webhook docs/stalwart.md §3, live trace §4)
 * and encoding the webhook body and the live SSE element.
 */
export { parseEventObject, parseEventsInto, parseEventsJson, parseEventsValue, parseParsedInto, protectBigIntegers } from './json-parse.js';
export type { ParsedEvent, ParsedEvents } from './json-parse.js';
export {
  encodeData,
  encodeLiveTraceArray,
  encodeLiveTraceEvent,
  encodeValue,
  encodeWebhookBody,
  encodeWebhookEvent,
  webhookEventId,
} from './json-encode.js';
export type { WebhookEncodeOptions, WebhookVersion } from './json-encode.js';
export { formatRfc3339Seconds, parseRfc3339 } from './json-time.js';
