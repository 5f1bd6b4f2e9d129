import { STEPS_CAP, type MailReader, type MessageRecord } from '../../runtime/mail-index.js';
import { domainRows, DOMAIN_COLUMNS, tlsBad, tlsCell } from '../view/domains.js';
import type { MailOverlay, MailTarget } from '../view/mail-state.js';
import { ALARM_FACTOR, ALARM_FLOOR, securityTables, SECURITY_COLUMNS } from '../view/security.js';
import { sortLabel, type SortState } from '../view/table-sort.js';
import { messageState, trailModel, waterfallBar } from '../view/trail.js';
import { clock, count, duration, exact, sparkline } from '../text/format.js';
import { fit, fitRight } from '../text/plain.js';
import { renderLine, type Seg } from '../text/styled.js';
import type { Role, Theme } from '../theme.js';
import { highlightSegs } from '../text/highlight.js';

/**
 * The mail overlays' lines (trail, trail search, domains, security), each exactly as many as
 * fit (`height` rows under the title), windowed around the row cursor; `rows` and `target`
 * tell the reducer how far the cursor goes and what Enter opens.
 */
export interface MailContent {
  title: string;
  content: string[];
  rows: number;
  target(i: number): MailTarget | undefined;
}

interface Line {
  segs: Seg[];
  /** Selectable row index, when this line is one. */
  row?: number;
  bad?: boolean;
}

function windowed(head: string[], lines: Line[], cursor: number, width: number, height: number, theme: Theme): string[] {
  const avail = Math.max(1, height - head.length);
  const sel = lines.findIndex((l) => l.row === cursor);
  const start = Math.max(0, Math.min(sel - Math.floor(avail / 2), lines.length - avail));
  const out = head.slice(0, height);
  for (const l of lines.slice(start, start + avail)) out.push(renderLine(l.segs, width, theme, l.row !== undefined && l.row === cursor ? 'selected' : undefined));
  if (lines.length === 0) out.push(renderLine([['  (nothing yet)', 'muted']], width, theme));
  return out.slice(0, height);
}

const STATE_ROLE: Record<string, Role> = { delivered: 'state.ok', queued: 'muted', deferred: 'state.warn', failed: 'state.bad', partial: 'state.warn' };

function reach(mail: MailReader): string {
  return `the index keeps the last ${exact(mail.capacity)} messages (${exact(mail.messageCount)} now${mail.oldestAt ? `, back to ${clock(mail.oldestAt)} UTC` : ''}) and 200 steps each, ${exact(STEPS_CAP)} in all`;
}

export function trailContent(o: Extract<MailOverlay, { kind: 'trail' }>, mail: MailReader, width: number, height: number, theme: Theme): MailContent {
  const rec = mail.trail(o.queueId);
  const title = `Trail of message ${o.queueId}`;
  if (!rec) return { title, content: [renderLine([[`  message ${o.queueId} is no longer in the index: ${reach(mail)}`, 'state.warn']], width, theme)], rows: 0, target: () => undefined };
  const t = trailModel(rec);
  const head = [
    renderLine(
      [
        ['  state ', 'muted'],
        [t.state.toUpperCase(), STATE_ROLE[t.state]],
        ['  from ', 'muted'],
        [t.from || '<>', 'text'],
        ['  to ', 'muted'],
        [t.to.join(', '), 'text'],
        ['  attempts ', 'muted'],
        [String(t.attempts), 'number'],
        ['  DSNs ', 'muted'],
        [String(t.dsns), t.dsns ? 'state.bad' : 'number'],
        ...(t.nextRetry && t.state === 'deferred' ? ([['  next retry ', 'muted'], [t.nextRetry.slice(11, 19), 'number']] as Seg[]) : []),
      ],
      width,
      theme,
    ),
    renderLine(
      t.incomplete
        ? [[`  INCOMPLETE: the start of this trail was not seen (before mailtel started, or out of the index). `, 'state.warn'], [reach(mail), 'muted']]
        : [[`  ${clock(t.firstAt)} → ${clock(t.lastAt)} (${duration(t.lastAt - t.firstAt)})${t.dropped ? `, ${t.dropped} later steps not kept` : ''}.  ${reach(mail)}`, 'muted']],
      width,
      theme,
    ),
  ];
  const barW = width >= 100 ? 24 : 12;
  const total = t.lastAt - t.firstAt;
  const lines: Line[] = [];
  let group = '';
  t.steps.forEach((st, i) => {
    if (st.group !== group) {
      group = st.group;
      lines.push({ segs: [[` ${group}`, 'title']] });
    }
    const role: Role = st.bad ? 'state.bad' : 'text';
    lines.push({
      row: i,
      segs: [
        [fitRight('+' + duration(st.offsetMs), 8) + ' ', 'number'],
        [waterfallBar(st.offsetMs, st.elapsedMs, total, barW) + ' ', st.bad ? 'state.bad' : 'spark'],
        [fit(st.ev.type, width >= 100 ? 32 : 26) + ' ', role],
        [st.detail, st.bad ? 'state.bad' : 'muted'],
      ],
    });
  });
  return { title, content: windowed(head, lines, o.cursor, width, height, theme), rows: t.steps.length, target: (i) => (t.steps[i] ? { event: t.steps[i].ev } : undefined) };
}

function messageRow(m: MessageRecord, width: number, query: string): Seg[] {
  const state = messageState(m.rcpts);
  const who = `${m.from || '<>'} → ${m.to.join(', ')}`;
  return [
    [fit(m.queueId, 18) + ' ', 'text'],
    [fit(state, 10) + ' ', STATE_ROLE[state]],
    [clock(m.firstAt) + ' ', 'muted'],
    [fit([...m.remoteIps][0] ?? '', width >= 100 ? 16 : 0) + (width >= 100 ? ' ' : ''), 'muted'],
    ...highlightSegs(who, query, 'text'),
  ];
}

export function trailsContent(o: Extract<MailOverlay, { kind: 'trails' }>, mail: MailReader, width: number, height: number, theme: Theme, typing: boolean): MailContent {
  let found: MessageRecord[];
  let title: string;
  if (o.domain !== undefined) {
    const d = mail.domains().find((x) => x.domain === o.domain);
    found = (d?.recent ?? []).map((q) => mail.trail(q)).filter((m): m is MessageRecord => m !== undefined);
    title = `Recent trails to ${o.domain}`;
  } else {
    found = mail.search(o.query);
    title = 'Find a message trail';
  }
  const head = [
    o.domain === undefined
      ? renderLine([['  search ', 'muted'], [o.query + (typing ? '▏' : ''), 'text'], [typing ? '   queue id, address or remote IP; Enter keeps it' : '   / to search by queue id, address or remote IP', 'muted']], width, theme)
      : renderLine([[`  the last ${found.length} messages with an attempt to ${o.domain}`, 'muted']], width, theme),
    renderLine([[`  ${found.length} messages; ${reach(mail)}.  Enter opens the trail`, 'muted']], width, theme),
  ];
  const lines: Line[] = found.map((m, i) => ({ row: i, segs: messageRow(m, width, o.query) }));
  return { title, content: windowed(head, lines, o.cursor, width, height, theme), rows: found.length, target: (i) => (found[i] ? { queueId: found[i].queueId } : undefined) };
}

export function domainsContent(o: Extract<MailOverlay, { kind: 'domains' }>, mail: MailReader, sort: SortState, width: number, height: number, theme: Theme, typing: boolean): MailContent {
  const rows = domainRows(mail.domains(), sort, o.query);
  const wide = width >= 110;
  const tlsW = wide ? 30 : 14;
  const head = [
    renderLine(
      [
        [`  ${rows.length} destination domains  ${sortLabel(DOMAIN_COLUMNS, sort)}  `, 'muted'],
        ['o/O', 'key'],
        [' sort  ', 'muted'],
        ['/', 'key'],
        [o.query || typing ? ` filter ${o.query}${typing ? '▏' : ''}` : ' filter (!word inverts)', 'muted'],
        ['  Enter', 'key'],
        [' trails', 'muted'],
      ],
      width,
      theme,
    ),
    renderLine(
      [[`  ${fit('domain', 18)} ${fitRight('att', 5)} ${fitRight('deliv', 6)} ${fitRight('defer', 6)} ${fitRight('fail', 5)} ${fitRight('wait', 5)} ${wide ? fit('next retry', 10) + ' ' : ''}${fit('TLS', tlsW)} last reply`, 'title']],
      width,
      theme,
    ),
  ];
  const lines: Line[] = rows.map((d, i) => ({
    row: i,
    segs: [
      ['  ', 'text'],
      ...highlightSegs(fit(d.domain, 18), o.query, 'text'),
      [' ' + fitRight(count(d.attempts), 5), 'number'],
      [' ' + fitRight(count(d.delivered), 6), 'state.ok'],
      [' ' + fitRight(count(d.deferred), 6), d.deferred ? 'state.warn' : 'muted'],
      [' ' + fitRight(count(d.failed), 5), d.failed ? 'state.bad' : 'muted'],
      [' ' + fitRight(count(d.waiting), 5), d.waiting ? 'state.warn' : 'muted'],
      [wide ? ' ' + fit(d.nextRetry ? d.nextRetry.slice(11, 19) : '-', 10) : '', 'muted'],
      [' ' + fit(tlsCell(d), tlsW) + ' ', tlsBad(d) ? 'state.bad' : 'muted'],
      ...highlightSegs(d.lastReply || '-', o.query, d.lastReplyBad ? 'state.bad' : 'muted'),
    ],
  }));
  return { title: 'Delivery health per destination domain', content: windowed(head, lines, o.cursor, width, height, theme), rows: rows.length, target: (i) => (rows[i] ? { domain: rows[i].domain } : undefined) };
}

export function securityContent(o: Extract<MailOverlay, { kind: 'security' }>, mail: MailReader, sort: SortState, now: number, width: number, height: number, theme: Theme): MailContent {
  const snap = mail.security(now);
  const t = securityTables(snap, sort);
  const head = [
    renderLine([[`  ▲ rate ≥ ${ALARM_FACTOR}× baseline (mean/min of the 10 min before) and ≥ ${ALARM_FLOOR}/min.  ${sortLabel(SECURITY_COLUMNS, sort)}`, 'muted']], width, theme),
    renderLine([[`  ${fit('category', 20)} ${fitRight('last 60 s', 9)} ${fitRight('baseline', 9)} ${fitRight('total', 8)}  per minute, last 11 min`, 'title']], width, theme),
  ];
  const lines: Line[] = [];
  const targets: MailTarget[] = [];
  for (const l of t.lines) {
    const role: Role = l.alarm ? 'state.bad' : 'text';
    lines.push({
      row: targets.length,
      segs: [
        [l.alarm ? '▲ ' : '  ', 'state.bad'],
        [fit(l.label, 20) + ' ', role],
        [fitRight(count(l.perMinute), 9) + ' ', l.alarm ? 'state.bad' : 'number'],
        [fitRight(l.baseline.toFixed(1), 9) + ' ', 'muted'],
        [fitRight(count(l.total), 8) + '  ', 'number'],
        [sparkline(l.minutes, 11), l.alarm ? 'state.bad' : 'spark'],
      ],
    });
    targets.push({ query: '' });
  }
  const list = (name: string, rows: [string, number][]) => {
    lines.push({ segs: [[` ${name} (Enter: their messages)`, 'title']] });
    for (const [who, n] of rows.slice(0, 10)) {
      lines.push({ row: targets.length, segs: [[`  ${fitRight(count(n), 8)}  `, 'number'], [who, 'text']] });
      targets.push({ query: who });
    }
    if (rows.length === 0) lines.push({ segs: [['  (none yet)', 'muted']] });
  };
  list('Top remote IPs behind these events', t.ips);
  list('Top accounts', t.accounts);
  return {
    title: 'Security',
    content: windowed(head, lines, o.cursor, width, height, theme),
    rows: targets.length,
    target: (i) => {
      const x = targets[i];
      return x && 'query' in x && x.query ? x : undefined;
    },
  };
}
