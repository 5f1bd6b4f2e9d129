import type { Role } from '../theme.js';
import type { Seg } from './styled.js';

/**
 * Runs of `text` with every occurrence of the filter's plain words (any case) in the `badge`
 * role, the rest in `role`. `key:value` terms highlight their value; an inverted filter (`!…`)
 * highlights nothing (the rows shown are the ones that do not match).
 */
export function filterWords(filter: string): string[] {
  const f = filter.trim();
  if (!f || f.startsWith('!')) return [];
  const words: string[] = [];
  for (const m of f.matchAll(/"([^"]+)"|(\S+)/g)) {
    let w = (m[1] ?? m[2] ?? '').toLowerCase();
    const colon = w.indexOf(':');
    if (m[2] !== undefined && colon > 0) w = w.slice(colon + 1);
    if (w) words.push(w);
  }
  return words;
}

export function highlightSegs(text: string, filter: string, role?: Role): Seg[] {
  const words = filterWords(filter);
  if (words.length === 0 || !text) return [[text, role]];
  const lower = text.toLowerCase();
  const hit = new Uint8Array(text.length);
  for (const w of words) {
    for (let i = lower.indexOf(w); i >= 0; i = lower.indexOf(w, i + 1)) hit.fill(1, i, i + w.length);
  }
  const out: Seg[] = [];
  let start = 0;
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || hit[i] !== hit[start]) {
      out.push([text.slice(start, i), hit[start] ? 'badge' : role]);
      start = i;
    }
  }
  return out;
}
