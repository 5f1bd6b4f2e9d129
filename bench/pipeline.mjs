#!/usr/bin/env node
// Pipeline benchmark: replay N events (default 1,000,000) of generated demo traffic through the
// collector into a log sink at level trace (every event written), headless, in a child process.
// Prints events/s, CPU time and peak RSS. Targets: >= 100,000 events/s, peak RSS < 250 MB.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function main(events = Number(process.env.BENCH_EVENTS ?? 1_000_000)) {
  const dir = join(tmpdir(), `mailtel-bench-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const input = join(dir, 'events.ndjson');
  const fd = openSync(input, 'w');
  execFileSync(process.execPath, ['bin/mailtel.js', 'generate', '--events', String(events), '--seed', '7', '--rate', '2000'], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const config = join(dir, 'mailtel.toml');
  writeFileSync(
    config,
    `[source.bench]\ntype = "replay"\npath = "${input}"\nspeed = 0\n\n[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n`,
  );
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['bin/mailtel.js', '--headless', '--status-json', '--until-done', '--status-interval', '60', '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const final = out.trim().split('\n').map((l) => JSON.parse(l)).find((s) => s.final);
  if (code !== 0 || !final) throw new Error(`mailtel exited ${code} without a final status`);
  const sink = final.sinks.find((s) => s.id === 'log');
  const bytes = readdirSync(join(dir, 'logs')).reduce((n, f) => n + statSync(join(dir, 'logs', f)).size, 0);
  const pipelineMs = final.at - final.startedAt;
  const result = {
    events: final.collector.events,
    written: sink.written,
    dropped: sink.droppedIntentional + sink.droppedError,
    malformed: final.collector.malformed,
    logBytes: bytes,
    wallMs: Math.round(wallMs),
    pipelineMs,
    eventsPerSec: Math.round(final.collector.events / (pipelineMs / 1000)),
    cpuMs: Math.round(final.process.cpuUserMs + final.process.cpuSystemMs),
    peakRssMB: +(final.process.peakRssBytes / 2 ** 20).toFixed(1),
  };
  rmSync(dir, { recursive: true, force: true });
  if (result.written !== events) throw new Error(`wrote ${result.written} of ${events} events`);
  console.log(
    `pipeline: ${result.events} events replayed into the log sink in ${(pipelineMs / 1000).toFixed(2)} s = ${result.eventsPerSec} events/s ` +
      `(target >= 100000), CPU ${(result.cpuMs / 1000).toFixed(2)} s, peak RSS ${result.peakRssMB} MB (target < 250), ` +
      `${(result.logBytes / 2 ** 20).toFixed(0)} MiB of log written`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
