import { availableParallelism } from 'node:os';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createReplaySource } from '../../src/sources/replay.js';
import { FakeContext, within } from '../helpers/fake-context.js';

// The replay and record tests once more, with the reading on its own thread as the built command
// does at speed 0 (replay-thread.ts; the thread's code is dist/replay-worker.js, which `npm test`
// builds before vitest runs). Each test file runs in its own worker, so this setting stays here.
process.env.MAILTEL_REPLAY_WORKER = fileURLToPath(new URL('../../dist/replay-worker.js', import.meta.url));
await import('./replay.test.js');
await import('../record/record.test.js');

const tmp = mkdtempSync(join(tmpdir(), 'mailtel-replay-threads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('replay threads', () => {
  it('one fewer than the cores at once; the other replays read on the main thread; every event arrives once', async () => {
    const n = availableParallelism();
    const ctxs: FakeContext[] = [];
    const runs: Promise<void>[] = [];
    for (let s = 0; s < n; s++) {
      const path = join(tmp, `r${s}.ndjson`);
      const lines: string[] = [];
      for (let i = 0; i < 5000; i++) lines.push(`{"createdAt":"2025-06-15T18:00:00Z","type":"imap.noop","data":{"spanId":${10n ** 17n + BigInt(i)},"total":${i},"source":"r${s}"}}`);
      writeFileSync(path, lines.join('\n') + '\n');
      const ctx = new FakeContext();
      ctxs.push(ctx);
      runs.push(createReplaySource({ id: `r${s}`, type: 'replay', path, speed: 0, restamp: false, loop: false, place: { file: 'test', line: 1, col: 1, key: `source.r${s}` } }).run(ctx));
    }
    await within(Promise.all(runs), 20_000);
    const threaded = ctxs.map((c) => c.states.find((st) => st.state === 'running')!.details!.thread);
    expect(threaded.filter((t) => t === true)).toHaveLength(n - 1);
    expect(threaded.filter((t) => t === false)).toHaveLength(1);
    for (let s = 0; s < n; s++) {
      const evs = ctxs[s]!.events;
      expect(evs).toHaveLength(5000);
      expect(evs.map((e) => e.data.total)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
      expect(evs[4999]).toMatchObject({ spanId: '100000000000004999', data: { source: `r${s}` } });
    }
  });

  const lines = (n: number) => Array.from({ length: n }, (_, i) => `{"createdAt":"2025-06-15T18:00:00Z","type":"imap.noop","data":{"total":${i}}}`).join('\n') + '\n';
  /**
   * Replays 3,000 lines at speed 0 with `worker` as the thread's code: every event must arrive
   * once, in order, and the one error must say the thread failed with `why` and where the main
   * thread went on.
   */
  const fallback = async (name: string, worker: string, why: string, fromLine: number) => {
    const path = join(tmp, `${name}.ndjson`);
    writeFileSync(path, lines(3000));
    const saved = process.env.MAILTEL_REPLAY_WORKER;
    process.env.MAILTEL_REPLAY_WORKER = worker;
    const ctx = new FakeContext();
    try {
      await within(createReplaySource({ id: 'f', type: 'replay', path, speed: 0, restamp: false, loop: false, place: { file: 'test', line: 1, col: 1, key: 'source.f' } }).run(ctx), 10_000);
    } finally {
      process.env.MAILTEL_REPLAY_WORKER = saved;
    }
    expect(ctx.events.map((e) => e.data.total)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(ctx.errors).toEqual([`${path}: the replay's own thread failed (${why}); reading on the main thread from line ${fromLine}`]);
    expect(ctx.lastState).toEqual({ state: 'finished', details: { lines: 3000, events: 3000, malformed: 0 } });
    return ctx;
  };

  it('a thread that cannot start: reported once, the file read on the main thread, every event once', async () => {
    const broken = join(tmp, 'broken-worker.mjs');
    writeFileSync(broken, 'throw new Error("broken on purpose");\n');
    await fallback('fallback', broken, 'broken on purpose', 1);
  });

  it('a thread that dies mid-pass: the main thread goes on after the lines it delivered, nothing lost or doubled', async () => {
    // Speaks the thread's protocol (replay-thread.ts, format/event-columns.ts): the first two
    // lines' events as one batch, and it dies once the main thread has taken them (its error
    // could otherwise overtake the batch, and the main thread would rightly read from line 1).
    const dying = join(tmp, 'dying-worker.mjs');
    const t = Date.UTC(2025, 5, 15, 18);
    writeFileSync(
      dying,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (m) => {
  if (m.t === 'ack') throw new Error('died on purpose');
  if (m.t !== 'pass') return;
  const cols = { n: 2, defs: [[0, 'imap.noop', ['total']]], ops: new Int32Array([0, 1, 1, 0, 1, 1]), nums: new Float64Array([${t}, 0, ${t}, 1]), strs: [], extra: [] };
  parentPort.postMessage({ t: 'batch', lines: 2, errors: [], cols });
});
parentPort.postMessage({ t: 'ready' });
`,
    );
    const ctx = await fallback('midway', dying, 'died on purpose', 3);
    expect(ctx.events[0]!.createdAt).toBe(t);
  });

  it('a paced replay reads on the main thread', async () => {
    const path = join(tmp, 'paced.ndjson');
    writeFileSync(path, '{"createdAt":"2025-06-15T18:00:00Z","type":"imap.noop","data":{}}\n');
    const ctx = new FakeContext();
    await within(createReplaySource({ id: 'p', type: 'replay', path, speed: 1, restamp: false, loop: false, place: { file: 'test', line: 1, col: 1, key: 'source.p' } }).run(ctx), 10_000);
    expect(ctx.states.find((st) => st.state === 'running')!.details!.thread).toBe(false);
    expect(ctx.events).toHaveLength(1);
  });
});
