import type { LogTracerConfig } from '../../config/types.js';

export type Rotate = LogTracerConfig['rotate'];

const PERIOD_S: Record<Rotate, number> = { daily: 86_400, hourly: 3_600, minutely: 60, never: 0 };

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** §1a file name for the period holding `seconds` (UTC): `<prefix>.<suffix>`, or `<prefix>` for never. */
export function logFileName(prefix: string, rotate: Rotate, seconds: number): string {
  if (rotate === 'never') return prefix;
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return prefix;
  const day = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  if (rotate === 'daily') return `${prefix}.${day}`;
  if (rotate === 'hourly') return `${prefix}.${day}T${pad(d.getUTCHours())}`;
  return `${prefix}.${day}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * §1a rotation boundary for a file opened for `seconds`: the start of its period plus one
 * period, in unix seconds; Infinity for never. UTC days are exactly 86,400 s (no leap seconds
 * in unix time), so plain arithmetic is exact.
 */
export function nextBoundary(rotate: Rotate, seconds: number): number {
  const p = PERIOD_S[rotate];
  if (p === 0 || !Number.isFinite(seconds)) return Infinity;
  return Math.floor(seconds / p) * p + p;
}
