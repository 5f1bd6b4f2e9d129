import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMailtel, statusLines, type Run } from '../helpers/cli.js';
import { openEventSource } from '../helpers/stream-peer.js';
import { waitFor } from '../helpers/wait.js';

let run: Run | undefined;
let dir = '';
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) c();
  run?.child.kill('SIGTERM');
  await run?.exit;
  run = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('mailtel --headless serving live streams (the built bundle)', () => {
  it('reports the listener in --status-json and streams the demo to a v0.15 token client', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-streams-cli-'));
    const config = join(dir, 'mailtel.toml');
    writeFileSync(config, `[source.d]\ntype = "demo"\nrate = 200\n\n[tracer.log]\ntype = "log"\npath = "${dir}"\nlevel = "error"\n\n[http]\nlisten = "127.0.0.1:0"\nauth.token = "cli-admin-token"\n`);
    run = runMailtel(['--headless', '--status-json', '--status-interval', '1', '--config', config]);
    const first = await waitFor(() => statusLines(run!.stdout())[0], 20_000, 'a status line');
    expect(first.http).toMatchObject({ listen: '127.0.0.1:0', auth: 'bearer', authShown: 'bearer cl****' });
    expect(first.http.routes).toContain('/api/telemetry/traces/live');
    expect(run.stdout()).not.toContain('cli-admin-token');
    const url: string = first.http.url;
    const tokenReply = await fetch(`${url}/api/telemetry/live/tracing-token`, { headers: { authorization: 'Bearer cli-admin-token' } });
    const { data: token } = (await tokenReply.json()) as { data: string };
    const client = openEventSource(`${url}/api/telemetry/traces/live?token=${token}`);
    closers.push(() => client.es.close());
    await client.opened;
    const frame = await waitFor(() => client.events.find((e) => e.type === 'trace'), 20_000, 'a trace frame');
    const events = JSON.parse(frame.data) as { text: string; type: string; createdAt: string; data: object }[];
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(Object.keys(e)).toEqual(['text', 'details', 'createdAt', 'type', 'data']);
    const later = await waitFor(() => statusLines(run!.stdout()).find((s) => s.sinks.find((k: { id: string }) => k.id === 'streams')?.details.clients === 1), 20_000, 'a status with the client');
    expect(later.sinks.find((k: { id: string }) => k.id === 'streams')).toMatchObject({ type: 'stream', state: 'ok', queueDepth: 1, queueCapacity: 64 });
  });
});
