#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
// A signal may come while the bundle loads: record it (src/signals.ts adopts it) instead of
// dying by the default action before mailtel's own handlers exist.
const early = { received: [], listener: (sig) => early.received.push(sig) };
globalThis[Symbol.for('mailtel.early-signals')] = early;
process.on('SIGINT', early.listener);
process.on('SIGTERM', early.listener);
// `ps` and `top` show mailtel (and tests can see that the handlers exist).
process.title = 'mailtel';
// A replay read at full speed gets a thread of its own (src/sources/replay-thread.ts), which takes
// Node 40-70 ms to start: started now, headless, it starts while the rest of mailtel loads, and
// the first replay takes it (with no such replay it is ended once the sources have started).
// Started with the options replay-thread.ts gives its threads.
if (process.argv.includes('--headless') && !process.env.MAILTEL_REPLAY_WORKER && availableParallelism() > 1) {
  const worker = new Worker(new URL('../dist/replay-worker.js', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
  worker.unref();
  const spare = { worker, error: undefined, release: undefined };
  const onError = (e) => (spare.error ??= e);
  const onExit = (code) => (spare.error ??= new Error(`the replay thread exited (${code})`));
  worker.on('error', onError);
  worker.on('exit', onExit);
  spare.release = () => {
    worker.off('error', onError);
    worker.off('exit', onExit);
  };
  globalThis[Symbol.for('mailtel.spare-replay-thread')] = spare;
}
await import('../dist/cli.js');
