import { useMemo } from 'react';
import type { SinkStatus } from '../../runtime/types.js';
import type { WebhookLedger } from '../../sinks/webhook/ledger.js';
import { exact } from '../text/format.js';
import { renderLine, type Seg } from '../text/styled.js';
import type { Theme } from '../theme.js';
import { Block } from './block.js';
import { titleLine } from './common.js';
import { emptyLines } from './otlp-pane.js';
import { webhookLedgerLines, webhookLedgerWant, type WebhookRow } from './webhook-lines.js';

/**
 * The webhooks pane: each webhook as a row of the live delivery ledger (webhook-lines.ts), then
 * the selected webhook's recent attempts. `f` flushes, Space or the webhook's digit switches it.
 */
export const WEBHOOK_SNIPPET = ['[webhook.ops]', 'url = "https://…"', 'events = ["*"]'];

export interface WebhooksPaneProps {
  configured: boolean;
  webhooks: readonly WebhookLedger[];
  /** The sinks in snapshot order: a webhook's digit is its place among them. */
  sinks: readonly SinkStatus[];
  now: number;
  cursor: number;
  focused: boolean;
  width: number;
  height: number;
  theme: Theme;
}

/** Each webhook with the digit that switches it (its row number in the sinks pane). */
export function webhookRows(webhooks: readonly WebhookLedger[], sinks: readonly SinkStatus[]): WebhookRow[] {
  return webhooks.map((ledger) => {
    const i = sinks.findIndex((s) => s.type === 'webhook' && s.id === ledger.id);
    return i >= 0 && i < 9 ? { ledger, number: i + 1 } : { ledger };
  });
}

export function webhooksWant(configured: boolean, webhooks: readonly WebhookLedger[], cursor = 0): number {
  if (!configured) return 1 + WEBHOOK_SNIPPET.length;
  return webhookLedgerWant(webhookRows(webhooks, []), cursor);
}

function summary(webhooks: readonly WebhookLedger[]): Seg[] {
  const retrying = webhooks.filter((w) => w.state === 'retrying').length;
  const pending = webhooks.reduce((n, w) => n + w.pending, 0);
  const segs: Seg[] = [[`${webhooks.length} webhook${webhooks.length === 1 ? '' : 's'} `, 'muted']];
  if (retrying) segs.push([`${retrying} retrying `, 'state.bad']);
  if (pending) segs.push([`${exact(pending)} pending `, 'muted']);
  return segs;
}

export function webhooksLines(p: WebhooksPaneProps): string[] {
  const { webhooks, width, height, theme } = p;
  const lines = [titleLine('Webhooks', p.focused, p.configured ? summary(webhooks) : [], width, theme)];
  if (!p.configured) return lines.concat(emptyLines('no webhook configured', WEBHOOK_SNIPPET, width, height, theme));
  if (webhooks.length === 0) {
    lines.push(renderLine([['  every webhook is skipped: see the messages (m)', 'muted']], width, theme));
    return lines;
  }
  const rows = webhookRows(webhooks, p.sinks);
  return lines.concat(webhookLedgerLines({ rows, cursor: p.cursor, focused: p.focused, now: p.now, width, rowsAvailable: height - 1, theme }));
}

export function WebhooksPane(p: WebhooksPaneProps) {
  const { configured, webhooks, sinks, now, cursor, focused, width, height, theme } = p;
  const lines = useMemo(
    () => webhooksLines({ configured, webhooks, sinks, now, cursor, focused, width, height, theme }),
    [configured, webhooks, sinks, now, cursor, focused, width, height, theme],
  );
  return <Block lines={lines} width={width} height={height} />;
}
