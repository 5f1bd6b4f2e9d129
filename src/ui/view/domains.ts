import type { DomainRow } from '../../runtime/mail-index.js';
import { sortRows, type SortColumn, type SortState } from './table-sort.js';

/** Delivery health per destination domain: the table's columns, sort and filter, pure. */
export const DOMAIN_COLUMNS: readonly SortColumn<DomainRow>[] = [
  { name: 'domain', value: (d) => d.domain },
  { name: 'attempts', value: (d) => d.attempts, desc: true },
  { name: 'delivered', value: (d) => d.delivered, desc: true },
  { name: 'deferred', value: (d) => d.deferred, desc: true },
  { name: 'failed', value: (d) => d.failed, desc: true },
  { name: 'waiting', value: (d) => d.waiting, desc: true },
  { name: 'last reply', value: (d) => d.lastReply },
  { name: 'TLS', value: (d) => d.tls },
  { name: 'next retry', value: (d) => d.nextRetry ?? '~' },
];

/** Initial sort: most failures first. */
export const DOMAIN_SORT: SortState = { col: 4, desc: false };

/** The `/` filter: every word must appear in the row's text (domain, reply, TLS verdicts); a leading `!` inverts. */
export function matchesFilter(text: string, filter: string): boolean {
  let f = filter.trim();
  const invert = f.startsWith('!');
  if (invert) f = f.slice(1).trim();
  if (!f) return true;
  const t = text.toLowerCase();
  const all = f
    .toLowerCase()
    .split(/\s+/)
    .every((w) => t.includes(w));
  return invert ? !all : all;
}

export const domainText = (d: DomainRow) => [d.domain, d.lastReply, d.tls, d.mtaSts, d.dane].join(' ');

export function domainRows(rows: readonly DomainRow[], sort: SortState, filter: string): DomainRow[] {
  return sortRows(
    rows.filter((d) => matchesFilter(domainText(d), filter)),
    DOMAIN_COLUMNS,
    sort,
  );
}

/** The TLS cell: STARTTLS outcome, then MTA-STS and DANE verdicts when seen. */
export function tlsCell(d: DomainRow): string {
  const parts = [d.tls || '-'];
  if (d.mtaSts) parts.push(`sts ${d.mtaSts}`);
  if (d.dane) parts.push(`dane ${d.dane}`);
  return parts.join(', ');
}

/** A TLS cell that should stand out: no STARTTLS, an error or a failed verdict. */
export const tlsBad = (d: DomainRow) => /unavailable|error|FAIL/.test(tlsCell(d));
