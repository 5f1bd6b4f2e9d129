import { useMemo } from 'react';
import type { MetricsSnapshot } from '../../metrics/types.js';
import type { RuntimeApi } from '../../runtime/types.js';
import { webhookDetailLines } from '../panes/webhook-lines.js';
import { eventDetailLines, messagesLines, sinkDetailLines } from './detail-lines.js';
import { helpLines } from './help-lines.js';
import { METRICS_VIEW_LABEL, metricsLines } from './metrics-lines.js';
import type { MetricsView, Overlay } from '../view/state.js';
import type { Theme } from '../theme.js';
import type { Sample } from '../use-sample.js';

export interface OverlayContent {
  title: string;
  content: string[];
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
      return { title: `Metrics ${METRICS_VIEW_LABEL[view]}`, content: opt.metrics ? metricsLines(opt.metrics, view, w, theme) : [] };
    }
  }
}

/**
 * The open overlay's content. The metrics snapshot (about 50 µs) is taken once per sampled
 * frame and only while the metrics overlay is open; scrolling reuses it.
 */
export function useOverlayContent(o: Overlay | null, sample: Sample, runtime: RuntimeApi, opt: OverlayOptions): OverlayContent | null {
  const { cols, theme, fps, historySize, bytesPerSecond, metricsView } = opt;
  const metricsOpen = o?.kind === 'metrics';
  const metrics = useMemo(
    () => (metricsOpen ? runtime.metricsSnapshot(metricsView ?? 'total') : undefined),
    // `sample` changes once per frame: that is the sampling clock.
    [metricsOpen, metricsView, sample, runtime],
  );
  return useMemo(
    () => overlayContent(o, sample, runtime, { cols, theme, fps, historySize, bytesPerSecond, metricsView, metrics }),
    [o, sample, runtime, cols, theme, fps, historySize, bytesPerSecond, metricsView, metrics],
  );
}
