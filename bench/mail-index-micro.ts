// Bundled by bench/views.mjs (`--micro`): the mail index alone, in process: ns per event over
// generated demo events (the same events fed again and again: observe() only, CPU time) and the
// heap the index keeps once full (heap after GC with the index alive minus without it).
import type { TelemetryEvent } from '../src/runtime/event.js';
import { Collector } from '../src/runtime/collector.js';
import { MailIndex } from '../src/runtime/mail-index.js';
import { DemoGenerator } from '../src/sources/demo-generator.js';
import { stampTimes } from '../src/sources/demo-mail.js';

export function micro(events: number, rounds: number) {
  const gen = new DemoGenerator(7);
  const t0 = Date.UTC(2026, 10, 29);
  const c = new Collector(new Map(), 0, () => t0);
  const input: TelemetryEvent[] = [];
  c.observe((ev) => input.push(ev));
  for (let i = 0; i < events; i++) {
    const ev = gen.next();
    ev.createdAt = t0 + Math.floor(i / 2);
    stampTimes(ev, ev.createdAt);
    c.ingest(ev);
  }
  const gc = (globalThis as { gc?: () => void }).gc!;
  const ns: number[] = [];
  let idx = new MailIndex();
  for (let r = 0; r < rounds; r++) {
    idx = new MailIndex();
    const start = process.cpuUsage();
    for (const ev of input) idx.observe(ev, ev.createdAt);
    const u = process.cpuUsage(start);
    ns.push(((u.user + u.system) * 1000) / events);
  }
  // The heap: a fresh index fed from the generator (no input array: the events it keeps are
  // kept by it alone, as in the runtime, where the history holds only the last 10,000).
  input.length = 0;
  idx = fill(events, t0);
  gc();
  gc();
  const withIdx = process.memoryUsage().heapUsed;
  const held = { messages: idx.messageCount, domains: idx.domains().length };
  idx = undefined as unknown as MailIndex;

  gc();
  gc();
  const without = process.memoryUsage().heapUsed;
  ns.sort((a, b) => a - b);
  return { events, nsPerEvent: ns[Math.floor(ns.length / 2)]!, nsMin: ns[0]!, heapMB: (withIdx - without) / 2 ** 20, ...held };
}

function fill(events: number, t0: number): MailIndex {
  const idx = new MailIndex();
  const gen = new DemoGenerator(7);
  const c = new Collector(new Map(), 0, () => t0);
  c.observe((ev) => idx.observe(ev, ev.createdAt));
  for (let i = 0; i < events; i++) {
    const ev = gen.next();
    ev.createdAt = t0 + Math.floor(i / 2);
    stampTimes(ev, ev.createdAt);
    c.ingest(ev);
  }
  return idx;
}
