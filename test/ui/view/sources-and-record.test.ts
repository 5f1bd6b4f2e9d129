import { describe, expect, it } from 'vitest';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { eventColumns, eventSegs } from '../../../src/ui/panes/event-row.js';
import { keymap, KEY_HELP } from '../../../src/ui/view/keymap.js';
import { eventPredicate } from '../../../src/ui/view/search.js';
import { initialState, reduce, type Ctx } from '../../../src/ui/view/state.js';

const ev = (seq: number, source: string): TelemetryEvent => ({ seq, type: 'smtp.ehlo', level: 'info', createdAt: 1_750_000_000_000, data: { domain: `d${seq}` }, text: 'SMTP EHLO command', source });
const events = [ev(1, 'node1'), ev(2, 'node2'), ev(3, 'node10')];

function ctx(over: Partial<Ctx> = {}): Ctx {
  return {
    now: 1000, sinkIds: [], eventCount: 3, latestSeq: 3, eventAt: () => undefined, webhookIds: [], pushCount: 0,
    otlpConfigured: false, webhooksConfigured: false, paused: false, matching: () => events, pageSize: 10, overlayLines: 0, ...over,
  };
}

describe('several sources in the console', () => {
  it('/ source:node1 keeps the events of that source only (not node10)', () => {
    expect(events.filter(eventPredicate('source:node1', 'trace')).map((e) => e.seq)).toEqual([1]);
    expect(events.filter(eventPredicate('source:NODE10 ehlo', 'trace')).map((e) => e.seq)).toEqual([3]);
  });

  it('the events row has a narrow source column when asked for one', () => {
    const text = (c: ReturnType<typeof eventColumns>) => eventSegs(events[1]!, c).map((s) => s[0]).join('');
    expect(text(eventColumns(120, 6))).toMatch(/^\d\d:\d\d:\d\d node2  INFO  smtp\.ehlo/);
    expect(text(eventColumns(120, 0))).toMatch(/^\d\d:\d\d:\d\d INFO  smtp\.ehlo/);
  });
});

describe('record keys', () => {
  it('R starts recording, and stops it while one runs; S saves the matching events; both are in the help', () => {
    expect(keymap({ input: 'R' }, initialState)).toEqual({ type: 'record' });
    expect(keymap({ input: 'S' }, initialState)).toEqual({ type: 'save' });
    expect(reduce(initialState, { type: 'record' }, ctx()).command).toEqual({ kind: 'record', on: true });
    const stop = reduce(initialState, { type: 'record' }, ctx({ recording: 'mailtel-x.ndjson' }));
    expect(stop.command).toEqual({ kind: 'record', on: false });
    expect(stop.state.flash?.text).toBe('recording stopped: mailtel-x.ndjson');
    expect(reduce(initialState, { type: 'save' }, ctx()).command).toEqual({ kind: 'save-events', events });
    expect(reduce(initialState, { type: 'save' }, ctx({ matching: () => [] })).command).toBeUndefined();
    expect(KEY_HELP.map((k) => k.keys)).toEqual(expect.arrayContaining(['R', 'S']));
  });
});
