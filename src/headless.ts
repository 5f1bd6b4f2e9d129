import type { Runtime } from './runtime/runtime.js';
import type { Snapshot } from './runtime/types.js';

export interface HeadlessOptions {
  statusJson: boolean;
  /** Between status lines, ms. */
  statusIntervalMs: number;
  untilDone: boolean;
  /** Shutdown flush budget, ms. */
  stopTimeoutMs: number;
}

/** One human status line: totals, then each source and sink. */
export function statusLine(s: Snapshot): string {
  const t = new Date(s.at).toISOString().slice(11, 19);
  const parts = [`${t} events ${s.collector.events} (${s.collector.rate1s}/s)${s.collector.backpressured ? ' BACKPRESSURE' : ''}`];
  for (const src of s.sources) {
    const phase = typeof src.details.phase === 'string' ? src.details.phase : src.state;
    parts.push(`${src.id} ${phase} ${src.events} ev${src.errors ? ` ${src.errors} err` : ''}`);
  }
  for (const k of s.sinks) {
    const dropped = k.droppedIntentional + k.droppedError;
    parts.push(`${k.subscriberId} ${k.enabled ? k.state : 'off'} ${k.written} written${dropped ? ` ${dropped} dropped` : ''}${k.queueDepth ? ` q${k.queueDepth}` : ''}`);
  }
  if (s.otlp.configured) parts.push(`otlp ${s.otlp.state} ${s.otlp.totalPushes - s.otlp.failedPushes}/${s.otlp.totalPushes} pushes`);
  return parts.join(' | ');
}

/** The process's own figures: resident memory now and at peak, CPU time. */
export function processStats(): { rssBytes: number; peakRssBytes: number; cpuUserMs: number; cpuSystemMs: number } {
  const u = process.resourceUsage();
  return { rssBytes: process.memoryUsage.rss(), peakRssBytes: u.maxRSS * 1024, cpuUserMs: u.userCPUTime / 1000, cpuSystemMs: u.systemCPUTime / 1000 };
}

function emit(rt: Runtime, json: boolean, final = false): void {
  const s = rt.snapshot();
  if (json) process.stdout.write(JSON.stringify({ ...(final ? { final: true } : {}), ...s, process: processStats() }) + '\n');
  else process.stderr.write(`mailtel ${final ? 'final ' : ''}${statusLine(s)}\n`);
}

/**
 * Runs the runtime without a screen until SIGINT/SIGTERM (or, with untilDone, until every source
 * finished and every sink is idle), then stops it: sources first, every sink flushed within the
 * stop timeout, a final status, exit code 0.
 */
export async function runHeadless(rt: Runtime, o: HeadlessOptions): Promise<number> {
  // The handlers go in before anything is printed: whoever reads the first status line may
  // signal at once, and on a loaded machine the default handler would kill the process first.
  let signalled: (reason: string) => void = () => {};
  const signal = new Promise<string>((resolve) => {
    signalled = resolve;
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  await rt.start();
  emit(rt, o.statusJson);
  const timer = setInterval(() => emit(rt, o.statusJson), o.statusIntervalMs);
  if (o.untilDone) void waitUntilDone(rt).then(() => signalled('done'));
  const reason = await signal;
  clearInterval(timer);
  if (!o.statusJson) process.stderr.write(`mailtel: ${reason === 'done' ? 'sources finished' : reason}, flushing sinks (again to force quit)\n`);
  const force = (sig: string) => {
    process.stderr.write(`mailtel: ${sig} again, quitting without waiting for the sinks\n`);
    process.exit(130);
  };
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  await rt.stop(o.stopTimeoutMs);
  emit(rt, o.statusJson, true);
  return 0;
}

async function waitUntilDone(rt: Runtime): Promise<void> {
  const finished = new Set(['finished', 'failing', 'stopped']);
  for (;;) {
    const s = rt.snapshot();
    if (s.sources.every((x) => finished.has(x.state))) {
      await rt.idle();
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
