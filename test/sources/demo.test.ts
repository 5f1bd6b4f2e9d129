import { describe, expect, it } from 'vitest';
import type { DemoSourceConfig } from '../../src/config/types.js';
import type { IncomingEvent } from '../../src/runtime/event.js';
import { createDemoSource } from '../../src/sources/demo.js';
import { DemoGenerator } from '../../src/sources/demo-generator.js';
import { FakeContext, within } from '../helpers/fake-context.js';

function cfg(over: Partial<DemoSourceConfig> = {}): DemoSourceConfig {
  return { id: 'demo', type: 'demo', rate: 50, seed: 7, place: { file: 'test', line: 1, col: 1, key: 'source.demo' }, ...over };
}

function generate(seed: number, n: number): IncomingEvent[] {
  const gen = new DemoGenerator(seed);
  return Array.from({ length: n }, () => gen.next());
}

/** The source turns queue.rescheduled's delays into timestamps from its clock: compare without them. */
function unstamped(ev: IncomingEvent): IncomingEvent {
  const { nextRetry: _r, nextDsn: _d, expires: _e, ...data } = ev.data;
  return { ...ev, data };
}

describe('createDemoSource', () => {
  it('emits the seeded sequence stamped with the present, reporting its state', async () => {
    const runs: IncomingEvent[][] = [];
    for (let i = 0; i < 2; i++) {
      const ctx = new FakeContext({ stopAfter: 2000 });
      const before = Date.now();
      await within(createDemoSource(cfg({ rate: 20_000, seed: 99 })).run(ctx), 10_000);
      expect(ctx.events).toHaveLength(2000);
      for (const ev of ctx.events) expect(ev.createdAt).toBeGreaterThanOrEqual(before);
      expect(ctx.states[0]).toEqual({ state: 'running', details: { rate: 20_000, seed: 99, sessions: 0, active: 0 } });
      for (const ev of ctx.events.filter((e) => e.type === 'queue.rescheduled')) expect(Date.parse(ev.data.nextRetry as string)).toBeGreaterThan(ev.createdAt!);
      runs.push(ctx.events.map(({ createdAt: _c, ...rest }) => unstamped(rest)));
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).toEqual(generate(99, 2000).map(unstamped));
  });

  it('paces at the configured rate (loose lower bound)', async () => {
    const ctx = new FakeContext({ stopAfter: 10 });
    const t0 = performance.now();
    await within(createDemoSource(cfg({ rate: 50 })).run(ctx), 5000);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it('waits for ready() when emit returns false, then resumes', async () => {
    const ctx = new FakeContext();
    ctx.block();
    const run = createDemoSource(cfg({ rate: 1000 })).run(ctx);
    await ctx.waitFor(() => ctx.events.length > 0);
    await new Promise((r) => setTimeout(r, 150));
    expect(ctx.events).toHaveLength(1);
    expect(ctx.readyCalls).toBe(1);
    ctx.release();
    await ctx.waitFor(() => ctx.events.length >= 20);
    ctx.stop();
    await within(run, 1000);
  });

  it('stops promptly on the signal, even while waiting for ready()', async () => {
    const ctx = new FakeContext();
    ctx.block();
    const run = createDemoSource(cfg()).run(ctx);
    await ctx.waitFor(() => ctx.events.length > 0);
    ctx.stop();
    await within(run, 500);
    const idle = new FakeContext();
    const run2 = createDemoSource(cfg({ rate: 1 })).run(idle);
    idle.stop();
    await within(run2, 500);
  });

  it('defaults to 50 events/s', () => {
    expect(createDemoSource(cfg({ rate: 0, seed: 3 })).target).toBe('50 events/s, seed 3');
  });
});
