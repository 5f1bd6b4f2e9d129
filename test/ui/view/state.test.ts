import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { initialState, reduce, type Action, type Ctx, type ViewState } from '../../../src/ui/view/state.js';

const events: TelemetryEvent[] = Array.from({ length: 50 }, (_, i) => ({
  seq: i + 1,
  type: 'smtp.ehlo',
  level: 'info',
  createdAt: 1_750_000_000_000 + i,
  data: { domain: `d${i}` },
  text: 'SMTP EHLO command',
}));

function ctx(over: Partial<Ctx> = {}): Ctx {
  return {
    now: 1000,
    sinkIds: ['log', 'console', 'otel'],
    eventCount: events.length,
    latestSeq: 50,
    eventAt: (fromEnd) => events[events.length - 1 - fromEnd],
    webhookIds: [],
    pushCount: 0,
    otlpConfigured: false,
    webhooksConfigured: false,
    paused: false,
    matching: () => events,
    pageSize: 10,
    overlayLines: 0,
    ...over,
  };
}

function run(actions: Action[], start: Partial<ViewState> = {}, c: Ctx = ctx()): ViewState {
  let s: ViewState = { ...initialState, ...start };
  for (const a of actions) s = reduce(s, a, c).state;
  return s;
}

describe('view reducer', () => {
  it('digit N asks the runtime to toggle the Nth sink and says so', () => {
    const step = reduce(initialState, { type: 'toggle-sink', n: 2 }, ctx());
    expect(step.command).toEqual({ kind: 'toggle-sink', id: 'console' });
    expect(step.state.flash?.text).toBe('toggled sink console');
    const none = reduce(initialState, { type: 'toggle-sink', n: 7 }, ctx());
    expect(none.command).toBeUndefined();
    expect(none.state.flash?.text).toBe('there is no sink 7');
  });

  it('Space toggles the selected sink in the sinks pane, or the one in the detail view', () => {
    const s = run([{ type: 'focus', dir: 1 }, { type: 'move', by: 1 }, { type: 'move', by: 1 }, { type: 'move', by: 1 }]);
    expect(s.focus).toBe('sinks');
    expect(s.sinkCursor).toBe(2); // clamped to the last of 3 sinks
    expect(reduce(s, { type: 'toggle-sink' }, ctx()).command).toEqual({ kind: 'toggle-sink', id: 'otel' });
    const detail = { ...initialState, overlay: { kind: 'sink' as const, id: 'log', scroll: 0 } };
    expect(reduce(detail, { type: 'toggle-sink' }, ctx()).command).toEqual({ kind: 'toggle-sink', id: 'log' });
  });

  it('focus cycles through the four panes both ways', () => {
    expect(run([{ type: 'focus', dir: 1 }]).focus).toBe('sinks');
    expect(run([{ type: 'focus', dir: 1 }, { type: 'focus', dir: 1 }, { type: 'focus', dir: 1 }]).focus).toBe('webhooks');
    expect(run([{ type: 'focus', dir: 1 }, { type: 'focus', dir: 1 }, { type: 'focus', dir: 1 }, { type: 'focus', dir: 1 }]).focus).toBe('events');
    expect(run([{ type: 'focus', dir: -1 }]).focus).toBe('webhooks');
  });

  it('s freezes at the newest seq and unfreezes back to following', () => {
    const frozen = run([{ type: 'freeze' }], {}, ctx({ latestSeq: 42 }));
    expect(frozen).toMatchObject({ frozen: true, frozenSeq: 42 });
    expect(run([{ type: 'freeze' }], frozen)).toMatchObject({ frozen: false, cursor: 0, scroll: 0 });
  });

  it('scrolling up freezes the stream, keeps the cursor in the window, G follows again', () => {
    let s = run([{ type: 'move', by: -1 }]);
    expect(s).toMatchObject({ frozen: true, frozenSeq: 50, cursor: 1, scroll: 0 });
    s = run([{ type: 'move', by: 'page-up' }], s);
    expect(s.cursor).toBe(10); // a page is pageSize - 1 rows
    expect(s.scroll).toBe(1); // cursor 10 with 10 rows: the window bottom moved up by one
    s = run([{ type: 'move', by: 'top' }], s);
    expect(s.cursor).toBe(49);
    expect(s.scroll).toBe(40);
    expect(run([{ type: 'move', by: 1 }], s).cursor).toBe(48);
    expect(run([{ type: 'move', by: 'bottom' }], s)).toMatchObject({ frozen: false, cursor: 0, scroll: 0 });
  });

  it('Enter on the events pane opens the selected event and freezes the stream', () => {
    const s = run([{ type: 'move', by: -1 }, { type: 'move', by: -1 }, { type: 'open' }]);
    expect(s.overlay).toMatchObject({ kind: 'event', scroll: 0 });
    expect(s.overlay?.kind === 'event' && s.overlay.event.seq).toBe(48);
    const live = run([{ type: 'open' }]);
    expect(live.frozen).toBe(true);
    expect(live.overlay?.kind === 'event' && live.overlay.event.seq).toBe(50);
    expect(run([{ type: 'close' }], s).overlay).toBeNull();
  });

  it('overlays scroll within their content', () => {
    const c = ctx({ overlayLines: 25, pageSize: 10 });
    let s = run([{ type: 'help' }, { type: 'move', by: 'page-down' }], {}, c);
    expect(s.overlay).toEqual({ kind: 'help', scroll: 9 });
    s = run([{ type: 'move', by: 'page-down' }, { type: 'move', by: 'page-down' }], s, c);
    expect(s.overlay?.scroll).toBe(15);
    expect(run([{ type: 'help' }], s).overlay).toBeNull();
  });

  it('M opens and closes the metrics view; v switches its window, is remembered, and starts at the top', () => {
    const c = ctx({ overlayLines: 40, pageSize: 10 });
    let s = run([{ type: 'metrics' }], {}, c);
    expect(s.overlay).toEqual({ kind: 'metrics', scroll: 0 });
    expect(s.metricsView).toBe('total');
    s = run([{ type: 'move', by: 'page-down' }, { type: 'move', by: 1 }], s, c);
    expect(s.overlay).toEqual({ kind: 'metrics', scroll: 10 });
    expect(run([{ type: 'move', by: 'bottom' }], s, c).overlay).toEqual({ kind: 'metrics', scroll: 30 });
    expect(run([{ type: 'move', by: 'top' }], s, c).overlay).toEqual({ kind: 'metrics', scroll: 0 });

    const step = reduce(s, { type: 'metrics-view' }, c);
    expect(step.command).toBeUndefined();
    expect(step.state).toMatchObject({ metricsView: 'since-mark', overlay: { kind: 'metrics', scroll: 0 }, flash: { text: 'metrics since the console opened' } });
    s = run([{ type: 'close' }, { type: 'metrics' }], step.state, c);
    expect(s).toMatchObject({ metricsView: 'since-mark', overlay: { kind: 'metrics', scroll: 0 } });
    expect(run([{ type: 'metrics-view' }], s, c).metricsView).toBe('total');
    expect(run([{ type: 'metrics' }], s, c).overlay).toBeNull();
    expect(run([{ type: 'help' }, { type: 'metrics' }], {}, c).overlay).toEqual({ kind: 'metrics', scroll: 0 });
  });

  it('v does nothing outside the metrics view', () => {
    expect(run([{ type: 'metrics-view' }])).toEqual(initialState);
    const help = run([{ type: 'help' }, { type: 'metrics-view' }]);
    expect(help).toMatchObject({ metricsView: 'total', overlay: { kind: 'help' } });
  });

  it('the filter applies while typing, Esc restores the previous one, Enter keeps it', () => {
    let s = run([{ type: 'filter-open' }, { type: 'filter-type', text: 'remote' }, { type: 'filter-type', text: '-ip:1' }], { filter: 'old' });
    expect(s).toMatchObject({ draft: 'oldremote-ip:1', filter: 'oldremote-ip:1' });
    s = run([{ type: 'filter-clear' }, { type: 'filter-type', text: 'ehlé' }, { type: 'filter-back' }], s);
    expect(s.filter).toBe('ehl');
    expect(run([{ type: 'filter-cancel' }], s)).toMatchObject({ draft: null, filter: 'old' });
    expect(run([{ type: 'filter-commit' }], s)).toMatchObject({ draft: null, filter: 'ehl' });
  });

  it('l cycles trace → debug → info → warn → error → trace', () => {
    const seen: string[] = [];
    let s = initialState;
    for (let i = 0; i < 5; i++) {
      s = run([{ type: 'cycle-level' }], s);
      seen.push(s.minLevel);
    }
    expect(seen).toEqual(['debug', 'info', 'warn', 'error', 'trace']);
  });

  it('p and f send commands only when the exporter / a webhook exists', () => {
    expect(reduce(initialState, { type: 'push' }, ctx()).command).toBeUndefined();
    expect(reduce(initialState, { type: 'push' }, ctx({ otlpConfigured: true })).command).toEqual({ kind: 'push-metrics' });
    expect(reduce(initialState, { type: 'flush' }, ctx()).command).toBeUndefined();
    expect(reduce(initialState, { type: 'flush' }, ctx({ webhooksConfigured: true })).command).toEqual({ kind: 'flush-webhooks' });
    expect(reduce(initialState, { type: 'pause' }, ctx({ paused: true })).command).toEqual({ kind: 'pause', paused: false });
  });

  it('quit asks once for the graceful stop and shows it', () => {
    const first = reduce(initialState, { type: 'quit' }, ctx());
    expect(first.state.quitting).toBe(true);
    expect(first.command).toBeUndefined();
    // App starts the stop when `quitting` turns on; a second quit leaves the state as it is.
    expect(reduce(first.state, { type: 'quit' }, ctx()).state).toBe(first.state);
  });
});
