const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Stalwart durations: `500ms`, `1s`, `5m`, `1h`, `1d` (case-insensitive), or a plain integer of
 * milliseconds (as a TOML integer or a string). Undefined when the value is not one.
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value === 'bigint') return undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+)\s*(ms|s|m|h|d)?$/i.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[(m[2] ?? 'ms').toLowerCase()]!;
  return Number.isSafeInteger(ms) ? ms : undefined;
}

/** 90000 → `1m30s`, 1500 → `1500ms`, 0 → `0ms`: the shortest exact form. */
export function formatDuration(ms: number): string {
  if (ms === 0 || ms % 1000 !== 0) return `${ms}ms`;
  const parts: string[] = [];
  let rest = ms / 1000;
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('');
}
