import { SECURITY_LABEL, type SecurityCategory, type SecuritySnapshot } from '../../runtime/mail-index.js';
import { sortRows, type SortColumn, type SortState } from './table-sort.js';

/**
 * The security panel as a view model, pure over the mail index's `SecuritySnapshot`.
 *
 * The alarm rule: a category's rate over the last 60 s is compared with its own baseline, the
 * mean per-minute count of the (up to) 10 whole minutes before it. It is highlighted when the
 * rate is at least ALARM_FACTOR times the baseline AND at least ALARM_FLOOR per minute (so a
 * quiet server going from 0 to 2 failures is not an attack). Nothing is highlighted before one
 * whole minute of baseline exists (the first two minutes after start): without a baseline there
 * is no "above normal".
 */
export const ALARM_FACTOR = 3;
export const ALARM_FLOOR = 10;
const BASELINE_MINUTES = 10;

export interface SecurityLine {
  category: SecurityCategory;
  label: string;
  total: number;
  /** Events in the last 60 s. */
  perMinute: number;
  /** Mean per minute over the minutes before the last one. */
  baseline: number;
  alarm: boolean;
  /** Per-minute counts, oldest first, the last minute included (sparkline). */
  minutes: number[];
}

export function rateAlarm(perMinute: number, baseline: number): boolean {
  return perMinute >= ALARM_FLOOR && perMinute >= ALARM_FACTOR * baseline;
}

export function securityLines(s: SecuritySnapshot): SecurityLine[] {
  // Whole minutes counted before the last one (the first partial minute does not count).
  const before = Math.max(0, Math.min(BASELINE_MINUTES, Math.floor((s.seconds - 60) / 60)));
  return s.rows.map((r) => {
    const perMinute = r.minutes[r.minutes.length - 1] ?? 0;
    const prev = before > 0 ? r.minutes.slice(r.minutes.length - 1 - before, r.minutes.length - 1) : [];
    const baseline = prev.length ? prev.reduce((a, b) => a + b, 0) / prev.length : 0;
    return { category: r.category, label: SECURITY_LABEL[r.category], total: r.total, perMinute, baseline, alarm: before > 0 && rateAlarm(perMinute, baseline), minutes: r.minutes };
  });
}

/** The categories in alarm, for the header's marker (seen from every view). */
export function securityAlarms(s: SecuritySnapshot): SecurityCategory[] {
  return securityLines(s)
    .filter((l) => l.alarm)
    .map((l) => l.category);
}

export const SECURITY_COLUMNS: readonly SortColumn<SecurityLine>[] = [
  { name: 'category', value: (l) => l.label },
  { name: 'last 60 s', value: (l) => l.perMinute, desc: true },
  { name: 'baseline', value: (l) => l.baseline, desc: true },
  { name: 'total', value: (l) => l.total, desc: true },
];

export type TopRow = [name: string, count: number];
export const TOP_COLUMNS: readonly SortColumn<TopRow>[] = [
  { name: 'count', value: (r) => r[1], desc: true },
  { name: 'name', value: (r) => r[0] },
];

/** The panel's tables in their current sort: categories first, then top IPs, then accounts. */
export function securityTables(s: SecuritySnapshot, sort: SortState) {
  const lines = securityLines(s);
  return {
    lines: sort.col === 0 && !sort.desc ? lines : sortRows(lines, SECURITY_COLUMNS, sort),
    ips: sortRows(s.topIps, TOP_COLUMNS, { col: sort.col % 2 === 0 ? 0 : 1, desc: sort.desc }),
    accounts: sortRows(s.topAccounts, TOP_COLUMNS, { col: sort.col % 2 === 0 ? 0 : 1, desc: sort.desc }),
  };
}
