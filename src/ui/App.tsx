import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RuntimeApi } from '../runtime/types.js';
import { EventList } from './view/event-list.js';
import { keymap, type KeyPress } from './view/keymap.js';
import { layout, MIN_COLS, MIN_ROWS } from './view/layout.js';
import { eventWindow, EventsPane } from './panes/events-pane.js';
import { Footer } from './panes/footer.js';
import { Header } from './panes/header.js';
import { OtlpPane, otlpWant } from './panes/otlp-pane.js';
import { SinksPane } from './panes/sinks-pane.js';
import { WebhooksPane, webhooksWant } from './panes/webhooks-pane.js';
import { Overlay } from './overlays/overlay.js';
import { initialState, reduce, type Action, type Ctx, type ViewState } from './view/state.js';
import type { Theme } from './theme.js';
import { useKeys } from './terminal/use-keys.js';
import { useOverlayContent } from './overlays/use-overlay.js';
import { useSample } from './use-sample.js';
import { HistogramPane, HISTOGRAM_ROWS } from './panes/histogram-pane.js';
import { useMailFrame, type ConsoleMarks } from './use-mail.js';
import { isMailOverlay } from './view/mail-state.js';
import { sinkDisplayOrder } from './view/table-columns.js';
import { wrap } from './text/plain.js';
import { useTerminalSize, type SizeSource } from './terminal/use-terminal-size.js';

/** Lets the owner of the screen ask it to quit (signals) the same way `q` does. */
export interface QuitController {
  request?: () => void;
}

export interface AppProps {
  runtime: RuntimeApi;
  theme: Theme;
  fps: number;
  historySize: number;
  /** Where the size comes from: process.stdout, or a test double. */
  terminal: SizeSource;
  /** Terminal traffic, for the help overlay. */
  bytesPerSecond?: () => number;
  controller?: QuitController;
  /** Called once when the user quits, after the stopping frame; the owner flushes and unmounts. */
  onQuit?: () => void;
  /** q or Ctrl-C again while stopping: the owner leaves without waiting for the sinks. */
  onForceQuit?: () => void;
  /** Called as each timed frame starts (benchmarks). */
  onTick?: () => void;
  /** Initial view state (tests). */
  initial?: Partial<ViewState>;
  /** `--read-only`, the host name and the `[console] banner` for the header. */
  marks?: ConsoleMarks;
}

/** The events pane's source column: only with several sources, as wide as the longest id (≤ 10). */
function sourceColumn(sources: readonly { id: string }[]): number {
  if (sources.length < 2) return 0;
  return Math.min(10, Math.max(...sources.map((s) => s.id.length)));
}

export function App(p: AppProps) {
  const { runtime, theme } = p;
  const [sample, refresh] = useSample(runtime, p.fps, p.onTick);
  const { cols, rows } = useTerminalSize(p.terminal);
  const [view, setView] = useState<ViewState>(() => ({ ...initialState, ...p.initial }));
  const viewRef = useRef(view);
  const list = useRef(new EventList());
  const snap = sample.snap;

  // Frozen, the rows up to the freeze point stay on screen even once they left the history.
  const pinSeq = view.frozen ? view.frozenSeq : 0;
  const items = useMemo(() => list.current.update(sample.history, view.filter, view.minLevel, pinSeq), [sample.history, view.filter, view.minLevel, pinSeq]);
  const L = layout({
    cols,
    rows,
    focus: view.focus,
    sources: snap.sources.length,
    sinks: snap.sinks.length,
    otlpLines: otlpWant(snap.otlp),
    webhookLines: webhooksWant(snap.webhooksConfigured, snap.webhooks, view.webhookCursor),
  });
  const mail = useMailFrame(runtime, sample, items, view, cols, theme, p.marks);
  const eventsHeight = L.events - (mail.hist ? HISTOGRAM_ROWS : 0);
  const win = eventWindow(items, view, Math.max(0, eventsHeight - 1));
  const overlay = useOverlayContent(view.overlay, sample, runtime, {
    cols,
    theme,
    fps: p.fps,
    historySize: p.historySize,
    bytesPerSecond: p.bytesPerSecond,
    metricsView: view.metricsView,
    height: L.body,
    sorts: view.sorts,
    typing: view.draft !== null,
  });

  const pageSize = view.overlay
    ? L.body - 1
    : { events: eventsHeight - 1, sinks: L.sinks - 1, otlp: L.otlp - 3, webhooks: L.webhooks - 1 }[view.focus];
  const sinkOrder = useMemo(() => sinkDisplayOrder(snap.sinks, view.sorts.sinks), [snap.sinks, view.sorts.sinks]);
  const ctx: Ctx = {
    now: snap.at,
    sinkIds: snap.sinks.map((s) => s.id),
    eventCount: win.shown,
    latestSeq: snap.seq,
    eventAt: (fromEnd) => items[win.shown - 1 - fromEnd],
    webhookIds: snap.webhooks.map((w) => w.id),
    pushCount: snap.otlp.pushes.length,
    otlpConfigured: snap.otlp.configured,
    webhooksConfigured: snap.webhooksConfigured,
    paused: snap.paused,
    recording: snap.recording,
    matching: () => items,
    pageSize: Math.max(1, pageSize),
    overlayLines: overlay?.content.length ?? 0,
    readOnly: p.marks?.readOnly ?? false,
    selected: () => items[win.shown - 1 - viewRef.current.cursor],
    queueIdOf: (ev) => runtime.mail?.queueIdOf(ev),
    overlayRows: overlay?.rows ?? 0,
    overlayTarget: (i) => overlay?.target?.(i),
    sinkOrder,
    histBuckets: mail.hist?.buckets.length ?? 0,
    histCursorFor: (i) => Math.max(0, mail.cursorFor(i) - (items.length - win.shown)),
  };
  const ctxRef = useRef(ctx);
  ctxRef.current = ctx;

  const { onQuit } = p;
  const dispatch = useCallback(
    (a: Action) => {
      const step = reduce(viewRef.current, a, ctxRef.current);
      viewRef.current = step.state;
      setView(step.state);
      if (step.command) {
        runtime.command(step.command);
        refresh();
      }
    },
    [runtime, refresh],
  );
  // After the frame that says "stopping: flushing sinks…" is on the screen, not before.
  useEffect(() => {
    if (view.quitting) onQuit?.();
  }, [view.quitting, onQuit]);
  useKeys((k: KeyPress) => {
    if (viewRef.current.quitting && ((k.input === 'q' && !k.ctrl && !k.meta) || (k.ctrl && k.input === 'c'))) return p.onForceQuit?.();
    const a = keymap(k, viewRef.current);
    if (a) dispatch(a);
  });
  useEffect(() => {
    if (!p.controller) return;
    p.controller.request = () => dispatch({ type: 'quit' });
    return () => {
      if (p.controller) p.controller.request = undefined;
    };
  }, [p.controller, dispatch]);

  if (L.tooSmall) {
    // Wrapped by words to the width, so the whole sentence shows even at 39x8.
    const words = wrap(`mailtel: terminal ${cols}x${rows} is too small, need ${MIN_COLS}x${MIN_ROWS} (q quits)`, Math.max(1, cols));
    return (
      <Box width={cols} height={rows} flexDirection="column">
        {words.slice(0, rows).map((l, i) => (
          <Text key={i} wrap="truncate-end">
            {l}
          </Text>
        ))}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={cols} height={rows}>
      <Header snap={snap} sourceLines={L.sourceLines} historySize={p.historySize} width={cols} theme={mail.theme} marks={mail.marks} />
      {overlay && view.overlay ? (
        <Overlay title={overlay.title} content={overlay.content} scroll={isMailOverlay(view.overlay) ? 0 : view.overlay.scroll} width={cols} height={L.body} theme={theme} />
      ) : (
        <>
          {mail.hist && <HistogramPane h={mail.hist} cursor={view.histCursor} width={cols} theme={theme} />}
          <EventsPane
            items={items}
            view={view}
            focused={view.focus === 'events'}
            historyCount={sample.history.length}
            sourceWidth={sourceColumn(snap.sources)}
            sources={snap.sources}
            width={cols}
            height={eventsHeight}
            theme={theme}
          />
          <SinksPane sinks={snap.sinks} order={sinkOrder} cursor={view.sinkCursor} focused={view.focus === 'sinks'} width={cols} height={L.sinks} theme={theme} />
          <Box flexDirection={L.split ? 'row' : 'column'} flexShrink={0}>
            <OtlpPane otlp={snap.otlp} now={snap.at} scroll={view.otlpScroll} focused={view.focus === 'otlp'} width={L.leftWidth} height={L.otlp} theme={theme} />
            <WebhooksPane
              configured={snap.webhooksConfigured}
              webhooks={snap.webhooks}
              sinks={snap.sinks}
              now={snap.at}
              cursor={view.webhookCursor}
              focused={view.focus === 'webhooks'}
              width={L.split ? L.rightWidth : cols}
              height={L.webhooks}
              theme={theme}
            />
          </Box>
        </>
      )}
      <Footer view={view} snap={snap} width={cols} theme={theme} />
    </Box>
  );
}
