import { parseEventObject, parseEventsJson, parseParsedInto, protectBigIntegers, type KeepKeys, type ParsedEvents } from '../format/json-parse.js';

/**
 * Reads one NDJSON line as the replay source does (`parseEventsJson(line, keep)`, with `keep` its
 * span-key folding), except that a recorded event that says how many of its keys are its own
 * (`ownKeys`, record/encode.ts) keeps exactly those, and the keys after them become its `span`
 * (used when the collector does not know the span: a recording started mid-span). `keep` still
 * sees every event, so the folder learns span starts and ends. Lines without `ownKeys` (webhook
 * captures, live frames, older recordings) are read exactly as before.
 */
export function readRecordLine(line: string, keep?: KeepKeys): ParsedEvents {
  const result: ParsedEvents = { events: [], errors: [] };
  readRecordInto(line, keep, result);
  return result;
}

/** `readRecordLine` appending to `result`, so a replay reuses one result for every line. */
export function readRecordInto(line: string, keep: KeepKeys | undefined, result: ParsedEvents): void {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    const bad = parseEventsJson(line, keep); // says where the JSON breaks
    result.errors.push(...bad.errors);
    return;
  }
  readParsedRecordInto(line, value, keep, result);
}

/** `readRecordInto` for a line already parsed: `value` is `JSON.parse(line)`. */
export function readParsedRecordInto(line: string, value: unknown, keep: KeepKeys | undefined, result: ParsedEvents): void {
  // One property read on the parsed line (no scan of every line's text for the key).
  const own = typeof value === 'object' && value !== null ? (value as { ownKeys?: unknown }).ownKeys : undefined;
  if (own === undefined || typeof own !== 'number' || !Number.isSafeInteger(own) || own < 0 || Array.isArray(value)) {
    parseParsedInto(line, value, keep, result);
    return;
  }
  const safe = protectBigIntegers(line);
  if (safe !== line) value = JSON.parse(safe);
  const ev = parseEventObject(value, (type, spanId, data) => {
    keep?.(type, spanId, data);
    return own;
  });
  if ('error' in ev) {
    result.errors.push(ev.error);
    return;
  }
  const data = (value as { data?: unknown }).data;
  if (typeof data === 'object' && data !== null) {
    const rest = parseEventObject({ type: ev.type, data: spanKeys(data as Record<string, unknown>, own) });
    if (!('error' in rest) && Object.keys(rest.data).length > 0) ev.span = rest.data;
  }
  result.events.push(ev);
}

/** The keys after the first `own` (without `spanId`). */
function spanKeys(data: Record<string, unknown>, own: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = 0;
  for (const key in data) {
    if (key === 'spanId') continue;
    if (i++ >= own) out[key] = data[key];
  }
  return out;
}
