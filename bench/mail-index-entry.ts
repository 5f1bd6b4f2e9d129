// Bundled by bench/views.mjs: the mail index's cost per event, in process, against the same
// collector without it (alternated runs, the same generated events, CPU time).
import { Collector } from '../src/runtime/collector.js';
import type { IncomingEvent } from '../src/runtime/event.js';
import { MailIndex } from '../src/runtime/mail-index.js';
import { DemoGenerator } from '../src/sources/demo-generator.js';
import { stampTimes } from '../src/sources/demo-mail.js';

export function indexCost(events: number, rounds: number) {
  const gen = new DemoGenerator(7);
  const input: IncomingEvent[] = [];
  const t0 = Date.UTC(2026, 10, 29);
  for (let i = 0; i < events; i++) {
    const ev = gen.next();
    ev.createdAt = t0 + Math.floor(i / 2);
    stampTimes(ev, ev.createdAt);
    input.push(ev);
  }
  const run = (withIndex: boolean) => {
    const c = new Collector(new Map(), 10_000, () => t0);
    const idx = new MailIndex();
    if (withIndex) c.observe((ev) => idx.observe(ev, ev.createdAt));
    // CPU time, not wall time: the machine is shared and loaded.
    const start = process.cpuUsage();
    for (const ev of input) c.ingest(ev);
    const used = process.cpuUsage(start);
    return { ms: (used.user + used.system) / 1000, messages: idx.messageCount, domains: idx.domains().length };
  };
  run(false);
  run(true);
  const without: number[] = [];
  const withIdx: number[] = [];
  let last = { messages: 0, domains: 0 };
  for (let r = 0; r < rounds; r++) {
    without.push(run(false).ms);
    const w = run(true);
    withIdx.push(w.ms);
    last = w;
  }
  const median = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  const h = process.memoryUsage().heapUsed;
  return { events, withoutMs: median(without), withMs: median(withIdx), nsPerEvent: ((median(withIdx) - median(without)) * 1e6) / events, ...last, heapMB: h / 2 ** 20 };
}
