import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/load-config.js';
import { Collector } from '../../../src/runtime/collector.js';
import type { TelemetryEvent } from '../../../src/runtime/event.js';
import { Runtime } from '../../../src/runtime/runtime.js';
import { DemoGenerator } from '../../../src/sources/demo-generator.js';

/**
 * Realistic traffic for the test servers: the demo generator's sessions (spans that overlap,
 * span keys attached by a collector), each event tagged with a unique `probe` key so a log line
 * can be traced back to the event it came from.
 */
export function traffic(n: number, seed = 1, firstProbe = 0): TelemetryEvent[] {
  const gen = new DemoGenerator(seed);
  const out: TelemetryEvent[] = [];
  let t = Date.UTC(2026, 0, 1);
  const c = new Collector(new Map(), 0, () => t);
  c.observe((ev) => out.push(ev));
  for (let i = 0; i < n; i++) {
    t += 7;
    const inc = gen.next();
    inc.data = { probe: firstProbe + i, ...inc.data };
    c.ingest(inc);
  }
  return out;
}

export interface LiveEnv {
  rt: Runtime;
  dir: string;
  /** The log sink's lines so far. */
  lines(): string[];
  /** The `probe` values seen in the log, in order. */
  probes(): number[];
  close(): Promise<void>;
}

/** A runtime with the given sources and one log tracer (level trace, never rotated). */
export async function liveEnv(sourcesToml: string): Promise<LiveEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'mailtel-live-'));
  const text = `${sourcesToml}
[tracer.log]
type = "log"
path = "${dir}"
prefix = "live"
rotate = "never"
level = "trace"
`;
  const rt = new Runtime(parseConfig(text, 'live.toml'));
  await rt.start();
  const file = join(dir, 'live');
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l !== '') : []);
  return {
    rt,
    dir,
    lines,
    probes: () => lines().flatMap((l) => {
      // The event's own probe is the last one (a span start's own comes first, as span key).
      const all = [...l.matchAll(/ probe = (\d+)/g)];
      return all.length > 0 ? [Number(all[all.length - 1]![1])] : [];
    }),
    close: async () => {
      await rt.stop(2000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function stalwartToml(id: string, url: string, extra = ''): string {
  return `[source.${id}]
type = "stalwart"
url = "${url}"
auth.username = "admin"
auth.secret = "secret"
metrics = false
${extra}
`;
}

export function range(from: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => from + i);
}
