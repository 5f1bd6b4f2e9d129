import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMailtel, statusLines } from '../helpers/cli.js';

// Nothing configured may be silently inert: what cannot work here is a check warning on its
// line and a failing row with the reason.
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mailtel-inert-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TOML = (dir: string) =>
  [
    '[source.gone]', // 1
    'type = "replay"', // 2
    `path = "${dir}/missing.ndjson"`, // 3
    '', // 4
    '[tracer.c]', // 5
    'type = "console"', // 6
    'level = "error"', // 7
    '',
  ].join('\n');

// Journal, webhook and the live sources were "not built yet" when this rule came (issue 13); they
// are built now. What remains inert here is a replay file that is not there; a kind or a source
// that cannot run on a platform declares `unavailable(cfg)` and gets the same treatment.
describe('parts that cannot work here', () => {
  it('are check warnings with their line', async () => {
    const cfg = join(dir, 'm.toml');
    writeFileSync(cfg, TOML(dir));
    const run = runMailtel(['check', '--config', cfg]);
    expect(await run.exit).toBe(0);
    const out = run.stdout();
    expect(out).not.toMatch(/Warnings \(0\)/);
    expect(out).toContain(`${cfg}:3:1: warning: source.gone.path: "${dir}/missing.ndjson": file not found; the source will show as failing`);
  });

  it('are failing rows with the reason when run', async () => {
    const cfg = join(dir, 'm.toml');
    writeFileSync(cfg, TOML(dir));
    const run = runMailtel(['--headless', '--status-json', '--until-done', '--config', cfg]);
    expect(await run.exit).toBe(1);
    const final = statusLines(run.stdout()).find((s) => s.final);
    expect(final.sources.find((x: { id: string }) => x.id === 'gone')).toMatchObject({ state: 'failing', errors: 0, lastError: { message: expect.stringMatching(/file not found/) } });
    expect(final.problems).toEqual([expect.stringMatching(/^source gone: .*file not found/)]);
  });
});
