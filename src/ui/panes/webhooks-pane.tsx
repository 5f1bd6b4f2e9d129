import { useMemo } from 'react';
import type { DeliveryRecord } from '../../runtime/types.js';
import { clock, countdown, duration, exact } from '../text/format.js';
import { renderLine, type Seg } from '../text/styled.js';
import { fit, fitRight } from '../text/plain.js';
import type { Theme } from '../theme.js';
import { Block } from './block.js';
import { titleLine } from './common.js';
import { emptyLines } from './otlp-pane.js';

/**
 * The webhook delivery ledger, newest first: time, webhook, events in the batch, HTTP status
 * or error, latency, attempt number and the countdown to the next attempt.
 */
export const WEBHOOK_SNIPPET = ['[webhook.ops]', 'url = "https://…"', 'events = ["*"]'];

export interface WebhooksPaneProps {
  configured: boolean;
  deliveries: readonly DeliveryRecord[];
  now: number;
  cursor: number;
  focused: boolean;
  width: number;
  height: number;
  theme: Theme;
}

export function webhooksWant(configured: boolean, deliveries: readonly DeliveryRecord[]): number {
  return configured ? 1 + Math.max(1, deliveries.length) : 1 + WEBHOOK_SNIPPET.length;
}

const ok = (d: DeliveryRecord) => d.status !== undefined && d.status >= 200 && d.status < 300 && !d.error;

export function deliverySegs(d: DeliveryRecord, idWidth: number, now: number): Seg[] {
  const next = countdown(d.nextAttemptAt, now);
  const segs: Seg[] = [
    [' ' + clock(d.at) + ' ', 'muted'],
    [fit(d.webhookId, idWidth) + ' ', 'text'],
    [fitRight(exact(d.events), 6) + ' ev ', 'number'],
    [fitRight(d.status !== undefined ? String(d.status) : 'ERR', 4) + ' ', ok(d) ? 'state.ok' : 'state.bad'],
    [fitRight(duration(d.latencyMs), 7) + ' ', 'number'],
    [fit('#' + d.attempt, 4) + ' ', 'muted'],
  ];
  if (next) segs.push([`retry ${next} `, 'state.warn']);
  if (d.error) segs.push([d.error, 'state.bad']);
  return segs;
}

export function webhooksLines(p: WebhooksPaneProps): string[] {
  const { deliveries, width, height, theme } = p;
  const lines = [titleLine('Webhooks', p.focused, p.configured ? [[`${exact(deliveries.length)} recent `, 'muted']] : [], width, theme)];
  if (!p.configured) return lines.concat(emptyLines('no webhook configured', WEBHOOK_SNIPPET, width, height, theme));
  if (deliveries.length === 0) {
    lines.push(renderLine([['  no delivery yet (f flushes now)', 'muted']], width, theme));
    return lines;
  }
  let idWidth = 4;
  for (const d of deliveries) idWidth = Math.max(idWidth, d.webhookId.length);
  idWidth = Math.min(idWidth, 14);
  let rows = height - 1;
  if (rows > deliveries.length && rows > 2) {
    lines.push(renderLine([[` ${fit('time', 8)} ${fit('webhook', idWidth)} ${fitRight('batch', 9)} ${fitRight('http', 4)} ${fitRight('latency', 7)} try  next / error`, 'muted']], width, theme));
    rows--;
  }
  const cursor = Math.min(p.cursor, deliveries.length - 1);
  const first = Math.max(0, Math.min(cursor - rows + 1, deliveries.length - rows));
  for (let i = first; i < deliveries.length && i < first + rows; i++) {
    lines.push(renderLine(deliverySegs(deliveries[i]!, idWidth, p.now), width, theme, p.focused && i === cursor ? 'selected' : undefined));
  }
  return lines;
}

export function WebhooksPane(p: WebhooksPaneProps) {
  const { configured, deliveries, now, cursor, focused, width, height, theme } = p;
  const lines = useMemo(
    () => webhooksLines({ configured, deliveries, now, cursor, focused, width, height, theme }),
    [configured, deliveries, now, cursor, focused, width, height, theme],
  );
  return <Block lines={lines} width={width} height={height} />;
}
