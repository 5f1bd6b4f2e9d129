/** Number, time and rate formatting for the screen. Pure; times are UTC like the log files. */

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

/** Exact integer with thousands separators: `1,234,567`. */
export function exact(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const s = String(Math.trunc(n));
  return s.replace(GROUP, ',');
}

/** Short count for narrow columns: `99,999`, `123.4k`, `12.3M`, `1.23G`. */
export function count(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (a < 100_000) return exact(n);
  if (a < 1e6) return (n / 1e3).toFixed(1) + 'k';
  if (a < 1e9) return (n / 1e6).toFixed(a < 1e8 ? 2 : 1) + 'M';
  return (n / 1e9).toFixed(2) + 'G';
}

/** Events per second: `0`, `2.5`, `250`, `12.3k`. */
export function rate(r: number): string {
  if (!Number.isFinite(r) || r <= 0) return '0';
  if (r < 10) return r.toFixed(1).replace(/\.0$/, '');
  if (r < 10_000) return String(Math.round(r));
  return (r / 1e3).toFixed(1) + 'k';
}

/** A duration: `850ms`, `12.3s`, `5m12s`, `2h05m`, `3d04h`. */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, '')}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${String(Math.floor((s % 86_400) / 3600)).padStart(2, '0')}h`;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Uptime as `00:05:12`, `2d 03:04:05` past a day. */
export function uptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const hms = `${pad2(Math.floor((s % 86_400) / 3600))}:${pad2(Math.floor((s % 3600) / 60))}:${pad2(s % 60)}`;
  return s >= 86_400 ? `${Math.floor(s / 86_400)}d ${hms}` : hms;
}

/** Wall-clock time of day, UTC: `18:02:57`. */
export function clock(ms: number): string {
  if (!Number.isFinite(ms)) return '--:--:--';
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '--:--:--';
  return `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
}

/** Full UTC timestamp with milliseconds: `2025-06-15T18:02:57.123Z`. */
export function timestamp(ms: number): string {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString();
}

/** Time left until `at`: `in 42s`, `now`; undefined when there is nothing scheduled. */
export function countdown(at: number | undefined, now: number): string | undefined {
  if (at === undefined) return undefined;
  const left = at - now;
  return left <= 0 ? 'now' : `in ${duration(Math.ceil(left / 1000) * 1000)}`;
}

/** Bytes with a binary unit: `512 B`, `12.3 KiB`, `1.5 MiB`. */
export function bytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of the last `width` values, scaled to their maximum: `▁` is zero, any value
 * above zero shows at least `▂` so a trickle is not mistaken for silence.
 */
export function sparkline(values: readonly number[], width: number): string {
  if (width <= 0) return '';
  const tail = values.slice(-width);
  let max = 0;
  for (const v of tail) if (v > max) max = v;
  let out = ' '.repeat(Math.max(0, width - tail.length));
  for (const v of tail) {
    if (!(v > 0) || max === 0) out += BARS[0];
    else out += BARS[Math.max(1, Math.min(7, Math.ceil((v / max) * 7)))];
  }
  return out;
}
