import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layout, type LayoutInput } from '../../src/ui/view/layout.js';
import { BUILTIN_THEMES, compileTheme, loadTheme, ROLES, to256 } from '../../src/ui/theme.js';

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
    expect(ev).toMatchObject({ header: 2, sinks: 3, otlp: 2, webhooks: 2 });
    expect(ev.events).toBe(13);
    const sinks = layout({ ...base, focus: 'sinks', sinks: 12 });
    expect(sinks.sinks).toBe(10);
    const otlp = layout({ ...base, focus: 'otlp' });
    expect(otlp.otlp).toBe(6);
    expect(otlp.events).toBe(9);
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

describe('themes', () => {
  it('every built-in theme file compiles and styles the level and state roles', () => {
    expect(BUILTIN_THEMES).toEqual(['dark', 'light', 'high-contrast', 'mono']);
    for (const name of BUILTIN_THEMES) {
      const t = loadTheme(name, {});
      expect(t.name).toBe(name);
      expect(Object.keys(t.sgr).sort()).toEqual([...ROLES].sort());
      expect(t.sgr.selected, name).not.toBe('');
      expect(t.sgr['level.error'], name).not.toBe('');
    }
    expect(loadTheme('default', {}).name).toBe('dark');
  });

  it('mono uses no colour at all, and NO_COLOR forces it', () => {
    const mono = loadTheme('mono', {});
    for (const code of Object.values(mono.sgr)) expect(code).not.toMatch(/\[(?:[0-9;]*;)?(3|4|9|10)[0-9]/);
    expect(loadTheme('dark', { NO_COLOR: '1' }).name).toBe('mono');
  });

  it('hex colours become 24-bit with COLORTERM=truecolor, else the nearest of 256', () => {
    expect(loadTheme('light', { COLORTERM: 'truecolor' }).sgr['state.bad']).toBe('\x1b[1;38;2;175;0;0m');
    expect(loadTheme('light', {}).sgr['state.bad']).toBe('\x1b[1;38;5;124m');
    expect(to256(0, 0, 0)).toBe(16);
    expect(to256(255, 255, 255)).toBe(231);
    expect(to256(128, 128, 128)).toBe(244);
  });

  it('loads a theme file by path and names the file and role in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailtel-theme-'));
    const good = join(dir, 'mine.json');
    writeFileSync(good, JSON.stringify({ name: 'mine', styles: { key: { fg: 'brightGreen', underline: true } } }));
    expect(loadTheme(good, {}).sgr.key).toBe('\x1b[4;92m');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ styles: { key: { fg: 'chartreuse' } } }));
    expect(() => loadTheme(bad, {})).toThrow(/bad\.json: key: unknown colour "chartreuse"/);
    writeFileSync(bad, JSON.stringify({ styles: { keys: {} } }));
    expect(() => loadTheme(bad, {})).toThrow(/unknown role "keys"/);
    writeFileSync(bad, '{oops');
    expect(() => loadTheme(bad, {})).toThrow(/bad\.json/);
    expect(() => loadTheme('nope', {})).toThrow('unknown theme "nope": use dark, light, high-contrast, mono');
    expect(() => compileTheme([], '256', 'x')).toThrow(/"styles" must be an object/);
  });
});
