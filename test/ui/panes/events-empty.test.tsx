import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/load-config.js';
import { createRuntime, type Runtime } from '../../../src/runtime/runtime.js';
import { screen, type Screen } from '../../helpers/ui-screen.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
let dir: string | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  s = rt = dir = undefined;
});

describe('a replay file that does not exist', () => {
  it('the events pane says the source is failing and why, and the header counts a source error, not a malformed line', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-empty-'));
    const path = join(dir, 'missing.ndjson');
    rt = await createRuntime(parseConfig(`[source.gone]\ntype = "replay"\npath = "${path}"\n\n[tracer.c]\ntype = "console"\n`, 'm.toml'), { captureConsole: true });
    await rt.start();
    s = screen(rt, { cols: 100, rows: 30 });
    await s.waitForFrame((t) => t.includes('source gone is failing:'), 'the failing source in the events pane');
    const text = s.lines().join('\n');
    expect(text).toContain(`source gone is failing: ${path}: file not found`);
    expect(text).not.toContain('waiting for events');
    expect(s.lines()[0]).toMatch(/malformed 0 +source errors 1/);
  });
});
