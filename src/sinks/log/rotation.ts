/**
 * docs/stalwart.md §1a log rotation: every `rotate` value with its period and the file-name suffix it adds. The
 * one place the values are written: config.ts reads them, check shows `pattern`.
 */
export const ROTATIONS = {
  daily: { periodS: 86_400, pattern: '.YYYY-MM-DD' },
  hourly: { periodS: 3_600, pattern: '.YYYY-MM-DDTHH' },
  minutely: { periodS: 60, pattern: '.YYYY-MM-DDTHH:MM' },
  never: { periodS: 0, pattern: '' },
} as const;

export type Rotate = keyof typeof ROTATIONS;

export const ROTATE_VALUES = Object.keys(ROTATIONS) as Rotate[];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** docs/stalwart.md §1a file name for the period holding `seconds` (UTC): `<prefix>.<suffix>`, or `<prefix>` for never. */
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
 * docs/stalwart.md §1a rotation boundary for a file opened for `seconds`: the start of its period plus one
 * period, in unix seconds; Infinity for never. UTC days are exactly 86,400 s (no leap seconds
 * in unix time), so plain arithmetic is exact.
 */
export function nextBoundary(rotate: Rotate, seconds: number): number {
  const p = ROTATIONS[rotate].periodS;
  if (p === 0 || !Number.isFinite(seconds)) return Infinity;
  return Math.floor(seconds / p) * p + p;
}
