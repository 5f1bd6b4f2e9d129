/**
 * Stalwart v0.16's live trace element (docs/stalwart.md §4, "v0.16 payloads"): the registry's
 * `TraceEvent`, `{"event","timestamp","keyValues"}`, where `keyValues` is a registry List (a JSON
 * object keyed "0", "1", ...) of `{"key","value"}` and each value is tagged by `@type`
 * (`{"@type":"String","value":"..."}`, `UnsignedInt`, `Integer`, `Float`, `Boolean`,
 * `UTCDateTime`, `Duration`, `IpAddr`, `List`, `Event`, `Null`). The keys are the event's own,
 * `spanId` among them; the parent span's keys are not appended (the collector finds the span
 * by its id). This turns one into the webhook/v0.15 shape `{type, createdAt, data}` that the
 * shared parser reads, or says why it cannot.
 */
export type Converted = { type: unknown; createdAt: unknown; data: Record<string, unknown> } | { error: string };

/** True when the element is v0.16's shape (it has `keyValues`, or `event` and no `type`). */
export function isV016Element(el: unknown): el is Record<string, unknown> {
  if (typeof el !== 'object' || el === null || Array.isArray(el)) return false;
  const o = el as Record<string, unknown>;
  return o.keyValues !== undefined || (o.type === undefined && typeof o.event === 'string');
}

export function fromV016(el: Record<string, unknown>): Converted {
  if (typeof el.event !== 'string' || el.event === '') return { error: 'v0.16 element without "event"' };
  const data: Record<string, unknown> = {};
  if (el.keyValues !== undefined) {
    const bad = keyValues(el.keyValues, data);
    if (bad !== undefined) return { error: `v0.16 element ${el.event}: ${bad}` };
  }
  return { type: el.event, createdAt: el.timestamp, data };
}

/** Fills `into` from a List of {key, value}; returns the problem, if any. */
function keyValues(list: unknown, into: Record<string, unknown>): string | undefined {
  if (typeof list !== 'object' || list === null) return '"keyValues" is not a list';
  for (const i in list) {
    const kv = (list as Record<string, unknown>)[i] as { key?: unknown; value?: unknown } | null;
    if (typeof kv !== 'object' || kv === null || typeof kv.key !== 'string' || kv.key === '' || kv.key === '__proto__') return `keyValues[${i}] has no "key"`;
    const v = value(kv.value);
    if (v === NULL) continue;
    if (v instanceof Bad) return `${kv.key}: ${v.why}`;
    into[kv.key] = v;
  }
  return undefined;
}

const NULL = Symbol('null');
class Bad {
  constructor(readonly why: string) {}
}

/** One tagged value, plain: numbers stay numbers (big ones arrive as decimal strings, protected before parsing). */
function value(tv: unknown): unknown {
  if (typeof tv !== 'object' || tv === null) return new Bad('a value is not a {"@type", "value"} object');
  const t = tv as Record<string, unknown>;
  const v = t.value;
  switch (t['@type']) {
    case 'Null':
      return NULL;
    case 'String':
    case 'IpAddr':
    case 'UTCDateTime':
      return typeof v === 'string' ? v : new Bad(`${String(t['@type'])} without a string value`);
    case 'UnsignedInt':
    case 'Integer':
    case 'Float':
    case 'Duration':
      // A u64 past 2^53 arrives as its decimal string (protectBigIntegers).
      return typeof v === 'number' || (typeof v === 'string' && /^-?\d+$/.test(v)) ? v : new Bad(`${String(t['@type'])} without a number`);
    case 'Boolean':
      return typeof v === 'boolean' ? v : new Bad('Boolean without true/false');
    case 'List': {
      if (typeof v !== 'object' || v === null) return new Bad('List without a list');
      const out: unknown[] = [];
      for (const i in v) {
        const x = value((v as Record<string, unknown>)[i]);
        if (x instanceof Bad) return x;
        if (x !== NULL) out.push(x);
      }
      return out;
    }
    case 'Event': {
      if (typeof t.event !== 'string') return new Bad('Event without "event"');
      const data: Record<string, unknown> = {};
      const bad = v === undefined ? undefined : keyValues(v, data);
      return bad === undefined ? { type: t.event, data } : new Bad(bad);
    }
    default:
      return new Bad(`unknown value type ${JSON.stringify(t['@type'])}`);
  }
}
