import type { Runtime } from './runtime/runtime.js';
import type { Snapshot } from './runtime/types.js';
import { MessagePrinter } from './headless-messages.js';
import { takeSignals, type Signals } from './signals.js';
import { endSpareReplayThread } from './sources/replay-thread.js';

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
  if (json) {
    const extra = final ? { final: true, problems: rt.problems() } : {};
    process.stdout.write(JSON.stringify({ ...extra, ...s, process: processStats() }) + '\n');
  } else {
    process.stderr.write(`mailtel ${final ? 'final ' : ''}${statusLine(s)}\n`);
    if (final) for (const p of rt.problems()) process.stderr.write(`mailtel final: failing: ${p}\n`);
  }
}

/**
 * Runs the runtime without a screen until SIGINT/SIGTERM (or, with untilDone, until every source
 * finished and every sink is idle), then stops it: sources first, every sink flushed within the
 * stop timeout, a final status. Warnings and errors go to stderr as they happen (with
 * --status-json only into the JSON). Exit code 0, or 1 when --until-done ended with a source
 * that failed without producing anything.
 */
export async function runHeadless(rt: Runtime, o: HeadlessOptions, signals: Signals = takeSignals()): Promise<number> {
  const printer = o.statusJson ? undefined : new MessagePrinter(process.stderr);
  if (printer) {
    for (const m of rt.snapshot().messages) printer.print(m);
    rt.onMessage((m) => printer.print(m));
  }
  let interrupted = false;
  const stopAsked = new Promise<string>((resolve) =>
    signals.on((sig, n) => {
      if (n === 1) return resolve(sig);
      process.stderr.write(`mailtel: ${sig} again, quitting without waiting for the sinks\n`);
      process.exit(130);
    }),
  );
  const started = rt.start().then(() => {
    // The replays that start with the runtime have taken the thread started ahead, if they could.
    endSpareReplayThread();
    return 'started';
  });
  let reason = await Promise.race([started, stopAsked]);
  let timer: NodeJS.Timeout | undefined;
  if (reason === 'started') {
    emit(rt, o.statusJson);
    timer = setInterval(() => emit(rt, o.statusJson), o.statusIntervalMs);
    reason = await Promise.race([stopAsked, ...(o.untilDone ? [waitUntilDone(rt).then(() => 'done')] : [])]);
    clearInterval(timer);
  } else interrupted = true;
  if (!o.statusJson) {
    const what = reason === 'done' ? 'sources finished' : interrupted ? `${reason} during start-up` : reason;
    process.stderr.write(`mailtel: ${what}, flushing sinks for at most ${o.stopTimeoutMs} ms (${reason === 'done' ? 'SIGINT' : 'again'} to quit at once)\n`);
  }
  await rt.stop(o.stopTimeoutMs);
  printer?.flush();
  emit(rt, o.statusJson, true);
  if (reason !== 'done') return 0;
  const dead = rt.snapshot().sources.filter((x) => x.state === 'failing' && x.events === 0);
  for (const x of dead) process.stderr.write(`mailtel: source ${x.id} failed without producing any event: ${x.lastError?.message ?? 'failing'}\n`);
  return dead.length ? 1 : 0;
}

async function waitUntilDone(rt: Runtime): Promise<void> {
  const finished = new Set(['finished', 'failing', 'stopped']);
  for (;;) {
    const s = rt.snapshot();
    if (s.sources.every((x) => finished.has(x.state))) {
      await rt.idle();
      return;
    }
    // A source that ends says so at once; one failing while it retries is seen by the next look.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([rt.sourcesEnded(), new Promise((r) => (timer = setTimeout(r, 50)))]);
    clearTimeout(timer);
  }
}
