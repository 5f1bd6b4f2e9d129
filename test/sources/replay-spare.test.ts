import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { createReplaySource } from '../../src/sources/replay.js';
import { endSpareReplayThread, SPARE, type SpareThread } from '../../src/sources/replay-thread.js';
import { FakeContext, within } from '../helpers/fake-context.js';

// The thread bin/mailtel.js starts ahead for a headless replay (its code: dist/replay-worker.js,
// which `npm test` builds before vitest runs), set up here as bin/mailtel.js does.
const built = fileURLToPath(new URL('../../dist/replay-worker.js', import.meta.url));
process.env.MAILTEL_REPLAY_WORKER = built;
const spares = globalThis as { [SPARE]?: SpareThread };

function startSpare(file = built): SpareThread {
  const worker = new Worker(file, { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  worker.unref();
  const spare: SpareThread = { worker, error: undefined, release: () => {} };
  const onError = (e: Error) => (spare.error ??= e);
  const onExit = (code: number) => (spare.error ??= new Error(`the replay thread exited (${code})`));
  worker.on('error', onError);
  worker.on('exit', onExit);
  spare.release = () => {
    worker.off('error', onError);
    worker.off('exit', onExit);
  };
  spares[SPARE] = spare;
  return spare;
}

const tmp = mkdtempSync(join(tmpdir(), 'mailtel-replay-spare-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function replay(name: string, n: number): Promise<{ ctx: FakeContext; path: string }> {
  const path = join(tmp, `${name}.ndjson`);
  writeFileSync(path, Array.from({ length: n }, (_, i) => `{"createdAt":"2025-06-15T18:00:00Z","type":"imap.noop","data":{"total":${i}}}`).join('\n') + '\n');
  const ctx = new FakeContext();
  await within(createReplaySource({ id: name, type: 'replay', path, speed: 0, restamp: false, loop: false, place: { file: 'test', line: 1, col: 1, key: `source.${name}` } }).run(ctx), 10_000);
  return { ctx, path };
}

describe('the replay thread started ahead (bin/mailtel.js, headless)', () => {
  it('is the one the first full-speed replay reads on, and ends with it', async () => {
    const spare = startSpare();
    const exited = once(spare.worker, 'exit');
    const { ctx } = await replay('taken', 5000);
    expect(spares[SPARE]).toBeUndefined();
    expect(ctx.states.find((st) => st.state === 'running')!.details!.thread).toBe(true);
    expect(ctx.events.map((e) => e.data.total)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    // The replay closed its thread, so the spare's worker is gone: it was the one read on.
    await within(exited, 10_000);
  });

  it('one that failed before a replay took it: the replay says so and reads on the main thread', async () => {
    const broken = join(tmp, 'broken-worker.mjs');
    writeFileSync(broken, 'throw new Error("broken on purpose");\n');
    const spare = startSpare(broken);
    // Not events.once: it would reject on the worker's 'error', which comes first.
    await within(new Promise((r) => spare.worker.once('exit', r)), 10_000);
    expect(spare.error?.message).toBe('broken on purpose');
    const { ctx, path } = await replay('failed', 3000);
    expect(ctx.events.map((e) => e.data.total)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(ctx.errors).toEqual([`${path}: the replay's own thread failed (broken on purpose); reading on the main thread from line 1`]);
  });

  it('one no replay took is ended once the sources have started', async () => {
    const spare = startSpare();
    const exited = once(spare.worker, 'exit');
    endSpareReplayThread();
    expect(spares[SPARE]).toBeUndefined();
    await within(exited, 10_000);
  });
});
