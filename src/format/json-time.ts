/**
 * RFC3339 timestamps as Stalwart writes them (`2025-06-15T18:02:57Z`) and as other producers
 * may (fractions, offsets, a space or lower-case `t`/`z`).
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;
const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

let lastText = '';
let lastMs = NaN;

/** Milliseconds since the epoch, or NaN when `text` is not a valid RFC3339 timestamp. */
export function parseRfc3339(text: string): number {
  // Captures hold many events per second with the same stamp: a one-entry cache pays off.
  if (text === lastText) return lastMs;
  const ms = parseUncached(text);
  lastText = text;
  lastMs = ms;
  return ms;
}

function parseUncached(text: string): number {
  const m = RFC3339.exec(text);
  if (!m) return NaN;
  const year = +m[1]!;
  const month = +m[2]!;
  const day = +m[3]!;
  const hour = +m[4]!;
  const minute = +m[5]!;
  const second = +m[6]!;
  if (month < 1 || month > 12 || day < 1 || day > DAYS[month - 1]!) return NaN;
  if (month === 2 && day === 29 && !isLeap(year)) return NaN;
  // 60 is a leap second: RFC3339 allows it, JS time has none, so it folds onto the next second.
  if (hour > 23 || minute > 59 || second > 60) return NaN;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (m[7] !== undefined) ms += Math.floor(Number('0.' + m[7]) * 1000);
  if (m[8] === undefined) {
    const offH = +m[10]!;
    const offM = +m[11]!;
    if (offH > 23 || offM > 59) return NaN;
    const offset = (offH * 60 + offM) * 60_000;
    ms += m[9] === '+' ? -offset : offset;
  }
  return ms;
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

let lastSecond = NaN;
let lastStamp = '';

/** Second precision, UTC, `Z` suffix: the only form Stalwart writes (docs/stalwart.md §3). */
export function formatRfc3339Seconds(ms: number): string {
  // Batches hold many events of the same second: a one-entry cache pays off here too.
  const second = Math.floor(ms / 1000);
  if (second === lastSecond) return lastStamp;
  const d = new Date(Number.isFinite(ms) ? second * 1000 : 0);
  const text = Number.isNaN(d.getTime()) ? '1970-01-01T00:00:00Z' : d.toISOString().slice(0, 19) + 'Z';
  if (Number.isFinite(second)) {
    lastSecond = second;
    lastStamp = text;
  }
  return text;
}
