/**
 * Event name patterns (docs/stalwart.md §5): `*` matches all, `prefix*` a prefix, `*suffix` a suffix,
 * anything else is an exact name that must exist.
 */
export type Pattern =
  | { kind: 'all' }
  | { kind: 'prefix'; text: string }
  | { kind: 'suffix'; text: string }
  | { kind: 'exact'; text: string };

export function parsePattern(text: string, isEvent: (name: string) => boolean): Pattern | string {
  const t = text.trim();
  if (t === '*') return { kind: 'all' };
  if (t.length > 1 && t.endsWith('*') && !t.slice(0, -1).includes('*')) return { kind: 'prefix', text: t.slice(0, -1) };
  if (t.length > 1 && t.startsWith('*') && !t.slice(1).includes('*')) return { kind: 'suffix', text: t.slice(1) };
  if (t.includes('*')) return `"${t}" is not a valid pattern: use *, prefix* or *suffix`;
  if (!isEvent(t)) return `"${t}" is not a known event name`;
  return { kind: 'exact', text: t };
}

export function matches(p: Pattern, name: string): boolean {
  switch (p.kind) {
    case 'all':
      return true;
    case 'prefix':
      return name.startsWith(p.text);
    case 'suffix':
      return name.endsWith(p.text);
    case 'exact':
      return name === p.text;
  }
}

export function matchesAny(patterns: readonly Pattern[], name: string): boolean {
  for (const p of patterns) if (matches(p, name)) return true;
  return false;
}
