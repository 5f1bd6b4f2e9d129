import { describe, expect, it } from 'vitest';
import { layout, type LayoutInput } from '../../../src/ui/view/layout.js';

const base: LayoutInput = { cols: 80, rows: 24, focus: 'events', sources: 1, sinks: 2, otlpLines: 5, webhookLines: 4 };
const total = (l: ReturnType<typeof layout>) => l.header + l.events + l.sinks + (l.split ? l.otlp : l.otlp + l.webhooks) + 2;

describe('layout', () => {
  it('fills exactly the terminal height at every size from 40x12 to 200x60, for every focus', () => {
    for (let rows = 12; rows <= 60; rows++) {
      for (const cols of [40, 80, 119, 120, 200]) {
        for (const focus of ['events', 'sinks', 'otlp', 'webhooks'] as const) {
          for (const sinks of [0, 2, 12]) {
            const l = layout({ ...base, cols, rows, focus, sinks, sources: 4 });
            expect(total(l), `${cols}x${rows} ${focus} ${sinks} sinks`).toBe(rows);
            expect(l.events).toBeGreaterThanOrEqual(2);
            expect(Math.min(l.sinks, l.otlp, l.webhooks)).toBeGreaterThanOrEqual(2);
          }
        }
      }
    }
  });

  it('stacks at 80x24 and gives the room to the focused pane', () => {
    const ev = layout(base);
    expect(ev.split).toBe(false);
    // title, column header, two sinks: the header stays at 80x24
    expect(ev).toMatchObject({ header: 2, sinks: 4, otlp: 2, webhooks: 2 });
    expect(ev.events).toBe(12);
    const sinks = layout({ ...base, focus: 'sinks', sinks: 12 });
    expect(sinks.sinks).toBe(10);
    const otlp = layout({ ...base, focus: 'otlp' });
    expect(otlp.otlp).toBe(6);
    expect(otlp.events).toBe(8);
  });

  it('puts OTLP and webhooks side by side from 120x30, splitting the width', () => {
    const l = layout({ ...base, cols: 121, rows: 40 });
    expect(l.split).toBe(true);
    expect(l.leftWidth + l.rightWidth).toBe(121);
    expect(l.otlp).toBe(l.webhooks);
    expect(l.sinks).toBe(4); // title, column header, 2 sinks
  });

  it('refuses sizes below 40x12 with a message instead of a broken screen', () => {
    expect(layout({ ...base, cols: 39 }).tooSmall).toBe(true);
    expect(layout({ ...base, rows: 11 }).tooSmall).toBe(true);
    expect(layout({ ...base, cols: 40, rows: 12 }).tooSmall).toBe(false);
  });
});
