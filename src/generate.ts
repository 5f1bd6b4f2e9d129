import { encodeWebhookEvent } from './format/json.js';
import { Collector } from './runtime/collector.js';
import { DemoGenerator } from './sources/demo-generator.js';
import { stampTimes } from './sources/demo-mail.js';

export interface GenerateOptions {
  events: number;
  seed: number;
  /** Events per second of simulated time (spaces createdAt). */
  rate: number;
  /** createdAt of the first event, ms. */
  start: number;
}

/**
 * Writes demo traffic as NDJSON in Stalwart's webhook event shape (what `replay` reads): a
 * reproducible input for benchmarks, tests and trying sinks without a mail server.
 */
export async function generate(o: GenerateOptions, out: NodeJS.WritableStream): Promise<void> {
  const gen = new DemoGenerator(o.seed);
  let t = o.start;
  const collector = new Collector(new Map(), 0, () => t);
  let line = '';
  collector.observe((ev) => (line = encodeWebhookEvent(ev, '0.15') + '\n'));
  let chunk = '';
  for (let i = 0; i < o.events; i++) {
    t = o.start + Math.floor((i * 1000) / o.rate);
    const ev = gen.next();
    stampTimes(ev, t);
    collector.ingest(ev);
    chunk += line;
    if (chunk.length > 1 << 16 || i === o.events - 1) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
      chunk = '';
    }
  }
}
