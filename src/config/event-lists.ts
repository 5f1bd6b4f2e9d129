import { EVENTS, isEvent } from '../catalogue/index.js';
import { matches, parsePattern, type Pattern } from '../catalogue/patterns.js';
import type { Path, Reader } from './reader.js';
import type { EventSelection } from './types.js';

/** An event list (names or `*`, `prefix*`, `*suffix`): unknown names and bad wildcards are errors. */
export function readPatterns(r: Reader, path: Path): Pattern[] | undefined {
  const items = r.strings(path);
  if (!items) return undefined;
  const entry = r.get(path)!;
  const out: Pattern[] = [];
  for (const item of items) {
    const p = parsePattern(item, isEvent);
    if (typeof p === 'string') {
      r.error(entry, p);
      continue;
    }
    if (p.kind !== 'exact' && !EVENTS.some((e) => matches(p, e.name))) r.warn(entry, `${JSON.stringify(item)} matches no event`);
    out.push(p);
  }
  return out;
}

function readPolicy(r: Reader, base: Path): 'include' | 'exclude' {
  return r.choice([...base, 'events-policy'], ['include', 'exclude'] as const) ?? 'exclude';
}

/**
 * A tracer's selection: v0.15 `disabled-events` (exclude), or v0.16 `events` + `events-policy`
 * (include|exclude, default exclude). Writing both styles is an error.
 */
export function readTracerSelection(r: Reader, base: Path): EventSelection {
  const v16 = r.has([...base, 'events']) || r.has([...base, 'events-policy']);
  const disabled = readPatterns(r, [...base, 'disabled-events']);
  if (!v16) return { policy: 'exclude', patterns: disabled ?? [] };
  const policy = readPolicy(r, base);
  const events = readPatterns(r, [...base, 'events']) ?? [];
  if (disabled) {
    const e = r.get([...base, 'disabled-events'])!;
    r.error(e, 'use either disabled-events (v0.15) or events with events-policy (v0.16), not both');
  }
  return { policy, patterns: events };
}

/**
 * A webhook's selection: with `events-policy` the v0.16 meaning (default exclude, so an empty
 * list means every event); without it the v0.15 meaning, where `events` is an include list.
 */
export function readWebhookSelection(r: Reader, base: Path): EventSelection {
  const events = readPatterns(r, [...base, 'events']) ?? [];
  if (!r.has([...base, 'events-policy'])) return { policy: 'include', patterns: events };
  return { policy: readPolicy(r, base), patterns: events };
}
