import type { SourceContext } from '../runtime/types.js';

// Shared by the demo and replay sources.

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Waits for `ctx.ready()` (backpressure released) or for the stop signal, whichever is first. */
export function waitReady(ctx: SourceContext): Promise<void> {
  if (ctx.signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      ctx.signal.removeEventListener('abort', done);
      resolve();
    };
    ctx.signal.addEventListener('abort', done, { once: true });
    ctx.ready().then(done, done);
  });
}
