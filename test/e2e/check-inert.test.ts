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
    '[source.live]', // 5
    'type = "stalwart"', // 6
    'url = "http://127.0.0.1:9/"', // 7
    '', // 8
    '[tracer.j]', // 9
    'type = "journal"', // 10
    '', // 11
    '[webhook.ops]', // 12
    'url = "http://127.0.0.1:9/hook"', // 13
    'events = ["auth.*"]', // 14
    '',
  ].join('\n');

describe('parts that cannot work in this build', () => {
  it('are check warnings with their line', async () => {
    const cfg = join(dir, 'm.toml');
    writeFileSync(cfg, TOML(dir));
    const run = runMailtel(['check', '--config', cfg]);
    expect(await run.exit).toBe(0);
    const out = run.stdout();
    expect(out).not.toMatch(/Warnings \(0\)/);
    expect(out).toContain(`${cfg}:3:1: warning: source.gone.path: "${dir}/missing.ndjson": file not found; the source will show as failing`);
    expect(out).toMatch(new RegExp(`${cfg}:6:\\d+: warning: source\\.live: source type "stalwart" is not built yet`));
    expect(out).toMatch(new RegExp(`${cfg}:10:\\d+: warning: tracer\\.j: the journal sink is not built yet`));
    expect(out).toMatch(new RegExp(`${cfg}:13:\\d+: warning: webhook\\.ops: webhook delivery is not built yet`));
  });

  it('are failing rows with the reason when run', async () => {
    const cfg = join(dir, 'm.toml');
    writeFileSync(cfg, TOML(dir));
    const run = runMailtel(['--headless', '--status-json', '--until-done', '--config', cfg]);
    expect(await run.exit).toBe(1);
    const final = statusLines(run.stdout()).find((s) => s.final);
    const row = (list: { id: string }[], id: string) => list.find((x) => x.id === id) as any;
    expect(row(final.sources, 'gone')).toMatchObject({ state: 'failing', lastError: { message: expect.stringMatching(/file not found/) } });
    expect(row(final.sources, 'live')).toMatchObject({ state: 'failing', lastError: { message: expect.stringMatching(/not built yet/) } });
    expect(row(final.sinks, 'j').lastError.message).toMatch(/journal sink is not built yet/);
    expect(row(final.sinks, 'ops').lastError.message).toMatch(/webhook delivery is not built yet/);
    expect(final.problems).toHaveLength(4);
  });
});
