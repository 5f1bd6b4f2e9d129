import { useMemo } from 'react';
import type { MetricsSnapshot } from '../../metrics/types.js';
import type { RuntimeApi } from '../../runtime/types.js';
import { webhookDetailLines } from '../panes/webhook-lines.js';
import { eventDetailLines, messagesLines, sinkDetailLines } from './detail-lines.js';
import { helpLines } from './help-lines.js';
import { METRICS_VIEW_LABEL, metricsLines } from './metrics-lines.js';
import { serverMetricsLines } from './server-metrics-lines.js';
import type { MetricsView, Overlay } from '../view/state.js';
import type { MailTarget, TableId } from '../view/mail-state.js';
import type { SortState } from '../view/table-sort.js';
import { domainsContent, securityContent, trailContent, trailsContent } from './mail-lines.js';
import type { Theme } from '../theme.js';
import type { Sample } from '../use-sample.js';

export interface OverlayContent {
  title: string;
  content: string[];
  /** Mail overlays: rows the cursor moves over, and what Enter on each opens. */
  rows?: number;
  target?(i: number): MailTarget | undefined;
}

export interface OverlayOptions {
  cols: number;
  theme: Theme;
  fps: number;
  historySize: number;
  bytesPerSecond?: () => number;
  /** The metrics overlay's window, and the runtime's metrics sampled for this frame. */
  metricsView?: MetricsView;
  metrics?: MetricsSnapshot;
  /** Mail overlays: rows under the title, the tables' sorts, and whether a query is being typed. */
  height?: number;
  sorts?: Record<TableId, SortState>;
  typing?: boolean;
}

/** The open overlay's title and lines, rebuilt each frame from the latest sample. */
export function overlayContent(o: Overlay | null, sample: Sample, runtime: RuntimeApi, opt: OverlayOptions): OverlayContent | null {
  if (!o) return null;
  const { cols: w, theme } = opt;
  const snap = sample.snap;
  switch (o.kind) {
    case 'help':
      return {
        title: 'Help',
        content: helpLines({ bytesPerSecond: opt.bytesPerSecond?.() ?? 0, fps: opt.fps, theme: theme.name, historySize: opt.historySize }, w, theme),
      };
    case 'messages':
      return { title: 'Messages', content: messagesLines(snap, w, theme) };
    case 'event': {
      const span = o.event.spanId ? runtime.spanEvents(o.event.spanId) : [];
      return { title: `Event ${o.event.type}`, content: eventDetailLines(o.event, span, w, theme) };
    }
    case 'sink': {
      const s = snap.sinks.find((x) => x.id === o.id);
      return { title: `Sink ${o.id}`, content: s ? sinkDetailLines(s, snap.at, w, theme) : [] };
    }
    case 'webhook': {
      const l = snap.webhooks.find((x) => x.id === o.id);
      return { title: `Webhook ${o.id}`, content: l ? webhookDetailLines(l, snap.at, w, theme) : [] };
    }
    case 'metrics': {
      const view = opt.metricsView ?? 'total';
      const server = serverMetricsLines(snap.sources, snap.at, w, theme);
      return { title: `Metrics ${METRICS_VIEW_LABEL[view]}`, content: opt.metrics ? [...metricsLines(opt.metrics, view, w, theme, opt.sorts?.metrics), ...server] : server };
    }
  }
  const mail = runtime.mail;
  const h = Math.max(1, (opt.height ?? 20) - 1);
  if (!mail) return { title: 'Mail views', content: ['  this runtime keeps no mail index'] };
  switch (o.kind) {
    case 'trail':
      return trailContent(o, mail, w, h, theme);
    case 'trails':
      return trailsContent(o, mail, w, h, theme, opt.typing ?? false);
    case 'domains':
      return domainsContent(o, mail, opt.sorts?.domains ?? { col: 4, desc: false }, w, h, theme, opt.typing ?? false);
    case 'security':
      return securityContent(o, mail, opt.sorts?.security ?? { col: 0, desc: false }, snap.at, w, h, theme);
  }
}

/**
 * The open overlay's content. The metrics snapshot (about 50 µs) is taken once per sampled
 * frame and only while the metrics overlay is open; scrolling reuses it.
 */
export function useOverlayContent(o: Overlay | null, sample: Sample, runtime: RuntimeApi, opt: OverlayOptions): OverlayContent | null {
  const { cols, theme, fps, historySize, bytesPerSecond, metricsView, height, sorts, typing } = opt;
  const metricsOpen = o?.kind === 'metrics';
  const metrics = useMemo(
    () => (metricsOpen ? runtime.metricsSnapshot(metricsView ?? 'total') : undefined),
    // `sample` changes once per frame: that is the sampling clock.
    [metricsOpen, metricsView, sample, runtime],
  );
  return useMemo(
    () => overlayContent(o, sample, runtime, { cols, theme, fps, historySize, bytesPerSecond, metricsView, metrics, height, sorts, typing }),
    [o, sample, runtime, cols, theme, fps, historySize, bytesPerSecond, metricsView, metrics, height, sorts, typing],
  );
}
