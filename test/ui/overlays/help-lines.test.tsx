import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { KEY_HELP } from '../../../src/ui/view/keymap.js';
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
