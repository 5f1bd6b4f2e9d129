#!/usr/bin/env node
// Worker-thread question of issue 14, measured: the replay's parsing (read, split, parse, span
// folding) moved to a worker thread that hands batches of 1024 parsed events to the main thread
// (structured clone), against the same work all on the main thread. Both then run the collector
// and format every event as a log line. A prototype over the real modules (bundled from src/
// with esbuild), not the shipped pipeline: it answers whether the hand-over costs less than it
// saves. Rounds alternate; events/s over each run, and the total CPU of each side in the note.
// Run: node bench/worker.mjs [--json] [--quick]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { eventsFile, ROOT } from './data.mjs';
import { alternate, emit, median, quick, row } from './lib.mjs';

const ENTRY = String.raw`
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createReadStream } from 'node:fs';
import { parseEventsJson } from './src/format/json-parse.ts';
import { SpanKeyFolder } from './src/sources/replay-spans.ts';
import { formatLine } from './src/format/text.ts';
import { Collector } from './src/runtime/collector.ts';

async function* lineBatches(file) {
  let carry = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop();
    yield lines;
  }
  if (carry) yield [carry];
}

if (!isMainThread) {
  const folder = new SpanKeyFolder();
  let outstanding = 0;
  let resume;
  parentPort.on('message', () => { outstanding--; if (resume) { const r = resume; resume = undefined; r(); } });
  for await (const lines of lineBatches(workerData)) {
    const evs = [];
    for (const l of lines) if (l) for (const e of parseEventsJson(l, folder.keep).events) evs.push(e);
    for (let i = 0; i < evs.length; i += 1024) { outstanding++; parentPort.postMessage(evs.slice(i, i + 1024)); }
    while (outstanding > 8) await new Promise((r) => (resume = r));
  }
  parentPort.postMessage(null);
} else {
  const [mode, file] = process.argv.slice(2);
  const col = new Collector(new Map(), 1000, Date.now);
  const opts = { ansi: false, multiline: false };
  const pending = [];
  let bytes = 0;
  col.observe((e) => pending.push(e));
  const flush = () => { let c = ''; for (const e of pending) c += formatLine(e, opts); bytes += Buffer.from(c).length; pending.length = 0; };
  const t0 = performance.now();
  if (mode === 'worker') {
    const w = new Worker(new URL(import.meta.url), { workerData: file });
    await new Promise((resolve) => w.on('message', (batch) => {
      if (batch === null) return resolve();
      for (const e of batch) col.ingest(e);
      flush();
      w.postMessage(1);
    }));
    await w.terminate();
  } else {
    const folder = new SpanKeyFolder();
    for await (const lines of lineBatches(file)) {
      for (const l of lines) if (l) for (const e of parseEventsJson(l, folder.keep).events) { col.ingest(e); if (pending.length >= 1024) flush(); }
    }
    flush();
  }
  const ms = performance.now() - t0;
  const u = process.resourceUsage();
  console.log(JSON.stringify({ mode, events: col.stats.events, eventsPerSec: col.stats.events / (ms / 1000), cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, bytes }));
}
`;

function child(bundle, mode, file) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [bundle, mode, file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`worker bench ${mode} exited ${code}`))));
  });
}

export async function rows() {
  const dir = mkdtempSync(join(tmpdir(), 'mailtel-worker-bench-'));
  try {
    const bundle = join(dir, 'worker-bench.mjs');
    await build({
      stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'ts', sourcefile: 'worker-bench-entry.ts' },
      outfile: bundle,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
    const file = await eventsFile(quick ? 100_000 : 200_000);
    const r = await alternate(quick ? 2 : 3, { floor: () => child(bundle, 'main', file), subject: () => child(bundle, 'worker', file) });
    const cpu = (rs) => Math.round(median(rs.map((x) => x.cpuMs)));
    return [
      row({
        figure: `replay parse in a worker thread (prototype), ${quick ? '100k' : '200k'} events -> collector + log line`,
        floor: 'the same work all on the main thread',
        subject: 'parse in a worker, hand-over by postMessage',
        unit: 'events/s',
        target: '> 1',
        floorValues: r.floorValues.map((x) => x.eventsPerSec),
        subjectValues: r.subjectValues.map((x) => x.eventsPerSec),
        note: `process CPU: ${cpu(r.floorValues)} ms on one thread, ${cpu(r.subjectValues)} ms with the worker`,
      }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) emit(await rows());
