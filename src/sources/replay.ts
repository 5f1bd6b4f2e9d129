import { stat } from 'node:fs/promises';
import type { ReplaySourceConfig } from '../config/types.js';
import type { Source, SourceContext } from '../runtime/types.js';
import { sleep, waitReady } from './demo-wait.js';
import { readLineBatches } from './replay-lines.js';
import { ReplayLineReader } from './replay-read.js';
import { Pacer } from './replay-pacer.js';
import { ReplayReadError, ReplayThread, ReplayThreadFailed, replayWorkerFile } from './replay-thread.js';

interface Counts {
  lines: number;
  events: number;
  malformed: number;
  passes: number;
}

/**
 * Replays NDJSON: one event per line in the webhook or live-trace shape, or a whole webhook
 * body `{"events":[...]}` (or a JSON array) per line. `speed` 1 keeps the original pacing, 2 is
 * twice as fast, 0 as fast as backpressure allows. A bad line is reported as `path:line: reason`
 * and skipped; `malformed` counts rejected events (a body line may reject several).
 */
export function createReplaySource(cfg: ReplaySourceConfig): Source {
  const speed = Number.isFinite(cfg.speed) && cfg.speed >= 0 ? cfg.speed : 1;
  return {
    id: cfg.id,
    type: 'replay',
    target: cfg.path,
    run: (ctx) => runReplay(ctx, cfg, speed),
  };
}

async function runReplay(ctx: SourceContext, cfg: ReplaySourceConfig, speed: number): Promise<void> {
  const counts: Counts = { lines: 0, events: 0, malformed: 0, passes: 0 };
  let thread: ReplayThread | undefined;
  const details = () => ({ speed, lines: counts.lines, events: counts.events, malformed: counts.malformed, passes: counts.passes, thread: thread !== undefined });
  // At full speed the file is read, parsed and folded on a thread of its own when one is free
  // (replay-thread.ts); paced replays need no second core. Taken before the first await: a
  // thread started ahead (bin/mailtel.js) is there for the replays that start with the runtime.
  const file = speed === 0 ? replayWorkerFile() : undefined;
  thread = file !== undefined ? ReplayThread.open(file) : undefined;
  const problem = await unreadable(cfg.path);
  if (problem !== undefined) {
    thread?.close();
    thread = undefined;
    ctx.setState('failing', details());
    ctx.fail(`${cfg.path}: ${problem}`);
    return;
  }
  try {
    ctx.setState('running', details());
    while (!ctx.signal.aborted) {
      counts.passes++;
      const before = counts.events;
      let failure: string | undefined;
      if (thread !== undefined) {
        const from = counts.lines;
        const r = await threadedPass(ctx, cfg, thread, counts, details);
        if (r instanceof ReplayThreadFailed) {
          // Nothing lost or doubled: the lines the thread delivered are read again only to
          // rebuild the span state, then the pass goes on where it stopped.
          const done = counts.lines - from;
          ctx.error(`${cfg.path}: the replay's own thread failed (${r.message}); reading on the main thread from line ${done + 1}`);
          thread.close();
          thread = undefined;
          failure = await replayPass(ctx, cfg, speed, counts, details, done);
        } else failure = r;
      } else failure = await replayPass(ctx, cfg, speed, counts, details);
      if (failure !== undefined) {
        ctx.setState('failing', details());
        ctx.fail(`${cfg.path}: ${failure}`);
        return;
      }
      if (ctx.signal.aborted) return;
      if (!cfg.loop) break;
      if (counts.events === before) {
        ctx.error(`${cfg.path}: no valid events in the file, not looping`);
        break;
      }
    }
    ctx.setState('finished', { lines: counts.lines, events: counts.events, malformed: counts.malformed });
  } finally {
    thread?.close();
  }
}

async function unreadable(path: string): Promise<string | undefined> {
  try {
    const st = await stat(path);
    return st.isFile() ? undefined : 'not a regular file';
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return err.code === 'ENOENT' ? 'file not found' : `cannot read: ${err.message}`;
  }
}

/**
 * One pass over the file; returns a message when reading fails. The first `skip` lines (already
 * delivered from a replay thread) are only parsed, for the span state, and not delivered again.
 */
async function replayPass(
  ctx: SourceContext,
  cfg: ReplaySourceConfig,
  speed: number,
  counts: Counts,
  details: () => Record<string, number | boolean>,
  skip = 0,
): Promise<string | undefined> {
  const pacer = new Pacer(speed, cfg.restamp);
  const report = everySecond(() => ctx.setState('running', details()));
  const reader = new ReplayLineReader();
  const { events, errors } = reader.parsed;
  let lineNo = 0;
  try {
    for await (const batch of readLineBatches(cfg.path, ctx.signal)) {
      for (const raw of batch) {
        lineNo++;
        const skipped = lineNo <= skip;
        if (!skipped) counts.lines++;
        if (!reader.read(raw, lineNo)) continue;
        if (skipped) {
          for (const ev of events) pacer.place(ev);
          continue;
        }
        for (const reason of errors) {
          counts.malformed++;
          ctx.error(`${cfg.path}:${lineNo}: ${reason}`);
        }
        for (let i = 0; i < events.length; i++) {
          const ev = events[i]!;
          const wait = pacer.place(ev);
          if (wait > 1) await sleep(wait, ctx.signal);
          if (ctx.signal.aborted) return undefined;
          counts.events++;
          // Let the sinks take what is queued while it is still in the cache.
          if ((counts.events & 255) === 0) await undefined;
          if (!ctx.emit(ev)) {
            const stalledAt = Date.now();
            await waitReady(ctx);
            if (speed > 0) pacer.shift(Date.now() - stalledAt);
            if (ctx.signal.aborted) return undefined;
          }
        }
      }
      report();
      if (ctx.signal.aborted) return undefined;
    }
  } catch (e) {
    return `read failed after line ${lineNo}: ${(e as Error).message}`;
  }
  return undefined;
}

/**
 * `replayPass` at speed 0 with the reading on `thread`: the same lines, rejections and events
 * (the thread runs the same parser and folders), a batch at a time.
 */
async function threadedPass(
  ctx: SourceContext,
  cfg: ReplaySourceConfig,
  thread: ReplayThread,
  counts: Counts,
  details: () => Record<string, number | boolean>,
): Promise<string | ReplayThreadFailed | undefined> {
  const pacer = new Pacer(0, cfg.restamp);
  const report = everySecond(() => ctx.setState('running', details()));
  try {
    for await (const { lines, errors, events } of thread.pass(cfg.path, ctx.signal)) {
      counts.lines += lines;
      for (const [lineNo, reason] of errors) {
        counts.malformed++;
        ctx.error(`${cfg.path}:${lineNo}: ${reason}`);
      }
      for (let i = 0; i < events.length; i++) {
        const ev = events[i]!;
        pacer.place(ev);
        if (ctx.signal.aborted) return undefined;
        counts.events++;
        if ((counts.events & 255) === 0) await undefined;
        if (!ctx.emit(ev)) {
          await waitReady(ctx);
          if (ctx.signal.aborted) return undefined;
        }
      }
      report();
      if (ctx.signal.aborted) return undefined;
    }
  } catch (e) {
    if (e instanceof ReplayReadError) return e.message;
    if (e instanceof ReplayThreadFailed) return e;
    return `read failed after line ${counts.lines}: ${(e as Error).message}`;
  }
  return undefined;
}

/** Calls `fn` when called a second or more after its last call (or after being made). */
function everySecond(fn: () => void): () => void {
  let last = Date.now();
  return () => {
    const now = Date.now();
    if (now - last < 1000) return;
    last = now;
    fn();
  };
}
