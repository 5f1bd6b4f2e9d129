import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { helpLines } from '../../../src/ui/overlays/help-lines.js';
import { textWidth } from '../../../src/ui/text/plain.js';
import { loadTheme } from '../../../src/ui/theme.js';
import { KEY_HELP } from '../../../src/ui/view/keymap.js';

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
import { replayRuntime, screen, type Screen } from '../../helpers/ui-screen.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

describe('help overlay', () => {
  it('? lists every key and the bytes written to the terminal per second', async () => {
    ({ rt } = await replayRuntime());
    s = screen(rt, { cols: 100, rows: 60, bytesPerSecond: () => 3 * 1024 });
    await s.press('?');
    const text = await s.waitForFrame((t) => t.includes(' Help '), 'the help overlay');
    for (const k of KEY_HELP) expect(text).toContain(k.keys);
    expect(text).toContain('3.0 KiB/s written to the terminal');
    await s.press('\x1b');
    await s.waitForFrame((t) => !t.includes(' Help '), 'help closed');
  });
});

describe('help text at 80 columns', () => {
  it('wraps long descriptions and the filter paragraph instead of cutting them', () => {
    const theme = loadTheme('mono');
    const lines = helpLines({ bytesPerSecond: 0, fps: 10, theme: 'mono', historySize: 10_000 }, 78, theme).map(stripAnsi);
    for (const l of lines) {
      expect(textWidth(l)).toBeLessThanOrEqual(78);
      expect(l.endsWith('…')).toBe(false);
    }
    const text = lines.map((l) => l.trim()).join(' ');
    expect(text).toContain('(remote-ip:192.0.2 or remoteIp:192.0.2). Every term must match');
    expect(text).toContain('"a quoted phrase" is one word.');
    // every key's whole description is on screen, continuation lines under the description column
    for (const k of KEY_HELP) expect(text.replace(/\s+/g, ' ')).toContain(k.what.replace(/\s+/g, ' '));
  });
});
