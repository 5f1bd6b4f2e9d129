import type { DemoSourceConfig } from '../config/types.js';
import type { Source, SourceContext } from '../runtime/types.js';
import { DemoGenerator } from './demo-generator.js';
import { stampTimes } from './demo-mail.js';
import { sleep, waitReady } from './demo-wait.js';

/**
 * Realistic Stalwart traffic from the catalogue at `cfg.rate` events/s (default 50), the same
 * sequence for the same `seed`. Each timer tick emits the events due since the start, so
 * 50,000/s costs one timer per 10 ms, not one per event.
 */
export function createDemoSource(cfg: DemoSourceConfig): Source {
  const rate = Number.isFinite(cfg.rate) && cfg.rate > 0 ? cfg.rate : 50;
  const seed = cfg.seed ?? Math.floor(Math.random() * 4294967296);
  return {
    id: cfg.id,
    type: 'demo',
    target: `${rate} events/s, seed ${seed}`,
    run: (ctx) => runDemo(ctx, rate, seed),
  };
}

async function runDemo(ctx: SourceContext, rate: number, seed: number): Promise<void> {
  const gen = new DemoGenerator(seed);
  const tickMs = Math.min(100, Math.max(10, Math.floor(1000 / rate)));
  const details = () => ({ rate, seed, sessions: gen.sessions, active: gen.active });
  ctx.setState('running', details());

  let base = performance.now();
  let sent = 0;
  let reportedAt = base;
  while (!ctx.signal.aborted) {
    const now = performance.now();
    let due = Math.floor(((now - base) * rate) / 1000) - sent;
    if (due > rate) {
      // More than a second behind (a blocked loop, a long pause): skip ahead, do not burst.
      base = now - 1000 / rate;
      sent = 0;
      due = 1;
    }
    const createdAt = Date.now();
    for (; due > 0 && !ctx.signal.aborted; due--) {
      const ev = gen.next();
      ev.createdAt = createdAt;
      stampTimes(ev, createdAt);
      sent++;
      if (!ctx.emit(ev)) {
        await waitReady(ctx);
        base = performance.now();
        sent = 0;
        break;
      }
    }
    if (now - reportedAt >= 1000) {
      reportedAt = now;
      ctx.setState('running', details());
    }
    await sleep(tickMs, ctx.signal);
  }
}
