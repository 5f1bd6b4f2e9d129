import { levelRank } from '../../catalogue/levels.js';
import type { Level } from '../../catalogue/types.js';
import { isNestedEvent, type EventData, type TelemetryEvent, type Value } from '../../runtime/event.js';

/**
 * The events pane's search box (`/`, shown as the filter), read as Stalwart's web admin reads
 * its search box. Not the runtime's per-sink event selection (runtime/filter.ts): each plain word must
 * appear in the event name, its description or any value; each `key:value` must appear in
 * that key's value. The key may be written kebab-case (`remote-ip`, the live-filter id) or
 * camelCase (`remoteIp`). Matching is case-insensitive substring; every term must match.
 * `source:<id>` matches the id of the source the event came from, exactly.
 * A double-quoted phrase is one word.
 */
export interface SearchTerm {
  /** Normalised key (lower-case, no dashes), absent for a plain word. */
  key?: string;
  text: string;
}

const normKey = (k: string) => k.replace(/-/g, '').toLowerCase();

function tokens(input: string): string[] {
  const out: string[] = [];
  const re = /(?:[^\s"]+|"[^"]*"?)+/g;
  for (const m of input.matchAll(re)) out.push(m[0]);
  return out;
}

const unquote = (s: string) => s.replace(/"/g, '');

export function parseSearch(input: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  for (const tok of tokens(input)) {
    const colon = tok.indexOf(':');
    const key = colon > 0 ? tok.slice(0, colon) : '';
    if (key && /^[A-Za-z][A-Za-z0-9-]*$/.test(key) && colon < tok.length - 1) {
      terms.push({ key: normKey(key), text: unquote(tok.slice(colon + 1)).toLowerCase() });
    } else {
      const text = unquote(tok).toLowerCase();
      if (text) terms.push({ text });
    }
  }
  return terms;
}

function valueHas(v: Value, text: string): boolean {
  if (v === null) return false;
  if (typeof v === 'string') return v.toLowerCase().includes(text);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v).includes(text);
  if (Array.isArray(v)) return v.some((x) => valueHas(x, text));
  if (isNestedEvent(v)) return v.type.includes(text) || dataHas(v.data, text);
  return false;
}

function dataHas(data: EventData, text: string): boolean {
  for (const k in data) if (valueHas(data[k]!, text)) return true;
  return false;
}

function keyHas(data: EventData | undefined, key: string, text: string): boolean {
  if (!data) return false;
  for (const k in data) if (normKey(k) === key && valueHas(data[k]!, text)) return true;
  return false;
}

export function matchTerm(ev: TelemetryEvent, t: SearchTerm): boolean {
  // `source:node2`: the id of the source the event came from, exactly (node1 is not node10).
  if (t.key === 'source' && ev.source !== undefined && ev.source.toLowerCase() === t.text) return true;
  if (t.key !== undefined) return keyHas(ev.data, t.key, t.text) || keyHas(ev.span, t.key, t.text);
  return (
    ev.type.includes(t.text) ||
    ev.text.toLowerCase().includes(t.text) ||
    dataHas(ev.data, t.text) ||
    (ev.span !== undefined && dataHas(ev.span, t.text))
  );
}

/** A predicate for the whole filter: the terms and the minimum level. */
export function eventPredicate(input: string, minLevel: Level): (ev: TelemetryEvent) => boolean {
  // `!…` inverts: the events that do not match every term (the level still applies).
  const invert = input.trimStart().startsWith('!');
  const terms = parseSearch(invert ? input.trimStart().slice(1) : input);
  const min = levelRank(minLevel);
  return (ev) => {
    if (levelRank(ev.level) < min) return false;
    let all = true;
    for (const t of terms) all &&= matchTerm(ev, t);
    return invert && terms.length > 0 ? !all : all;
  };
}
