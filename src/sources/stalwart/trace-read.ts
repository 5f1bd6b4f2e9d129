import { parseEventObject, parseEventsJson, parseEventsValue, protectBigIntegers, type ParsedEvents } from '../../format/json-parse.js';
import { fromV016, isV016Element } from './v016-trace.js';

/** One `trace` frame read: its events and one reason per skipped element, or why the whole frame is malformed. */
export interface TraceRead extends ParsedEvents {
  malformed?: string;
}

/**
 * The frame's JSON array, big integers kept whole. Each element is read in the shape it has:
 * v0.15's `{text, details, createdAt, type, data}` or v0.16's `{event, timestamp, keyValues}`
 * (either generation's server may answer; the element says which). A frame that is not a JSON
 * array (or not JSON) is malformed as a whole: nothing of it is taken.
 */
export function readTrace(data: string): TraceRead {
  const r = parseFrame(data);
  const { events, errors } = r;
  if (events.length === 0 && errors.length === 1 && (errors[0]!.startsWith('invalid JSON') || !data.trimStart().startsWith('['))) {
    return { events, errors: [], malformed: errors[0]! };
  }
  return r;
}

function parseFrame(data: string): ParsedEvents {
  let value: unknown;
  try {
    value = JSON.parse(protectBigIntegers(data));
  } catch {
    return parseEventsJson(data); // says where the JSON breaks
  }
  if (!Array.isArray(value)) return parseEventsValue(value);
  const out: ParsedEvents = { events: [], errors: [] };
  for (let i = 0; i < value.length; i++) {
    let el: unknown = value[i];
    if (isV016Element(el)) {
      const c = fromV016(el);
      if ('error' in c) {
        out.errors.push(`[${i}]: ${c.error}`);
        continue;
      }
      el = c;
    }
    const ev = parseEventObject(el);
    if ('error' in ev) out.errors.push(`[${i}]: ${ev.error}`);
    else out.events.push(ev);
  }
  return out;
}
