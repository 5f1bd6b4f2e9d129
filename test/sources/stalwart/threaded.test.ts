import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StalwartTestServer } from '../../helpers/stalwart-server.js';
import { waitFor } from '../../helpers/wait.js';
import { liveEnv, range, stalwartToml, traffic, type LiveEnv } from './live-env.js';

// The trace stream on its own thread (src/sources/stalwart/threaded.ts), as the built command
// runs it: the thread's code is dist/sse-worker.js, which `npm test` builds before vitest runs.
// The live-source and repeat tests run on the thread too (threaded-suite.test.ts); these are
// the thread's own cases: its flow limit and its failure.
const BUILT = fileURLToPath(new URL('../../../dist/sse-worker.js', import.meta.url));

let server: StalwartTestServer | undefined;
let env: LiveEnv | undefined;
let dir: string | undefined;
const before = process.env.MAILTEL_SSE_WORKER;
beforeEach(() => {
  process.env.MAILTEL_SSE_WORKER = BUILT;
});
afterEach(async () => {
  await env?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  env = server = dir = undefined;
  if (before === undefined) delete process.env.MAILTEL_SSE_WORKER;
  else process.env.MAILTEL_SSE_WORKER = before;
});

const sourceOf = (e: LiveEnv) => e.rt.snapshot().sources.find((s) => s.id === 'node1')!;

describe('Stalwart trace stream thread: flow and failure', () => {
  it('a burst of many frames (more than the thread may have waiting) arrives whole and in order', async () => {
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 5 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    for (let i = 0; i < 40; i++) server.emit(traffic(500, 100 + i, i * 1000));
    await waitFor(() => env!.probes().length >= 20_000, 60_000, '20,000 lines logged');
    await env.rt.idle();
    const probes = env.probes();
    expect(probes).toHaveLength(20_000);
    expect(probes).toEqual(Array.from({ length: 40 }, (_, i) => range(i * 1000, 500)).flat());
    await waitFor(() => sourceOf(env!).details.frames === server!.frames, 5_000, 'frames in the status');
    expect(sourceOf(env).details.streamThread).toBe(true);
    expect(sourceOf(env).details.parseThread).toBe(availableParallelism() >= 2);
  });

  it('a thread that cannot run is reported once, and the stream goes on on the main thread', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-thread-'));
    const broken = join(dir, 'broken-worker.mjs');
    writeFileSync(broken, 'throw new Error("broken on purpose");\n');
    process.env.MAILTEL_SSE_WORKER = broken;
    server = await new StalwartTestServer({ api: 'v0.16', batchMs: 20 }).start();
    env = await liveEnv(stalwartToml('node1', server.url));
    server.emit(traffic(100, 4, 0));
    await waitFor(() => env!.probes().length >= 100, 20_000, '100 lines logged');
    const src = sourceOf(env);
    expect(src.details.streamThread).toBe(false);
    expect(src.errors).toBe(1);
    expect(src.lastError?.message).toMatch(/^the trace stream's own thread failed \(broken on purpose\); streaming on the main thread/);
    expect(new Set(env.probes()).size).toBe(100);
  });
});
