import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_THEMES, compileTheme, loadTheme, ROLES, to256 } from '../../src/ui/theme.js';

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
