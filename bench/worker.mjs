#!/usr/bin/env node
// Worker-thread question of issue 14, measured: the replay's parsing (read, split, parse, span
// folding) moved to a worker thread that hands batches of 1024 parsed events to the main thread,
// by structured clone of the objects or in columns (src/format/event-columns.ts), against the
// same work all on the main thread. All then run the collector and format every event as a log
// line. Over the real modules (bundled from src/ with esbuild), not the shipped pipeline (whose
// replays at speed 0 now read on a thread, with the columns: bench/pipeline.mjs times that): it
// answers whether each hand-over costs less than it saves. Rounds rotate; events/s over each
// run, the total CPU and how busy each thread was in the notes.
// Run: node bench/worker.mjs [--json] [--quick]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { eventsFile, ROOT } from './data.mjs';
import { emit, median, quick, row } from './lib.mjs';

const ENTRY = String.raw`
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createReadStream } from 'node:fs';
import { parseEventsJson } from './src/format/json-parse.ts';
import { SpanKeyFolder } from './src/sources/replay-spans.ts';
import { formatLine } from './src/format/text.ts';
import { Collector } from './src/runtime/collector.ts';
import { ColumnReader, ColumnWriter } from './src/format/event-columns.ts';

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
  const writer = workerData.mode === 'columns' ? new ColumnWriter() : undefined;
  for await (const lines of lineBatches(workerData.file)) {
    const evs = [];
    for (const l of lines) if (l) for (const e of parseEventsJson(l, folder.keep).events) evs.push(e);
    for (let i = 0; i < evs.length; i += 1024) {
      outstanding++;
      if (writer) {
        const { cols, transfer } = writer.encode(evs.slice(i, i + 1024));
        parentPort.postMessage(cols, transfer);
      } else parentPort.postMessage(evs.slice(i, i + 1024));
    }
    while (outstanding > 8) await new Promise((r) => (resume = r));
  }
  parentPort.postMessage({ elu: performance.eventLoopUtilization().utilization });
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
  if (mode === 'worker' || mode === 'columns') {
    const w = new Worker(new URL(import.meta.url), { workerData: { file, mode } });
    const reader = new ColumnReader();
    const decoded = [];
    await new Promise((resolve) => w.on('message', (batch) => {
      if (batch === null) return resolve();
      if (batch.elu !== undefined) { globalThis.workerElu = batch.elu; return; }
      if (mode === 'columns') {
        decoded.length = 0;
        reader.decode(batch, decoded);
        batch = decoded;
      }
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
  console.log(JSON.stringify({ mainElu: performance.eventLoopUtilization().utilization, workerElu: globalThis.workerElu, mode, events: col.stats.events, eventsPerSec: col.stats.events / (ms / 1000), cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, bytes }));
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
    const rounds = quick ? 2 : 3;
    const main = [];
    const clone = [];
    const columns = [];
    const sides = [() => child(bundle, 'main', file).then((x) => main.push(x)), () => child(bundle, 'worker', file).then((x) => clone.push(x)), () => child(bundle, 'columns', file).then((x) => columns.push(x))];
    await child(bundle, 'main', file); // warm-up (file cache)
    for (let i = 0; i < rounds; i++) for (let k = 0; k < 3; k++) await sides[(i + k) % 3]();
    const cpu = (rs) => Math.round(median(rs.map((x) => x.cpuMs)));
    const busy = (rs) => `main thread busy ${median(rs.map((x) => x.mainElu)).toFixed(2)}, worker ${median(rs.map((x) => x.workerElu)).toFixed(2)}`;
    const figure = (how) => `replay parse in a worker thread, hand-over ${how}, ${quick ? '100k' : '200k'} events -> collector + log line`;
    const rate = (rs) => rs.map((x) => x.eventsPerSec);
    return [
      row({ figure: figure('by structured clone (prototype)'), floor: 'the same work all on the main thread', subject: 'parse in a worker, events cloned', unit: 'events/s', target: '> 1', floorValues: rate(main), subjectValues: rate(clone), note: `process CPU: ${cpu(main)} ms on one thread, ${cpu(clone)} ms with the worker; ${busy(clone)}` }),
      row({ figure: figure('in columns (src/format/event-columns.ts, as replays at speed 0 now run)'), floor: 'the same work all on the main thread', subject: 'parse in a worker, events in columns', unit: 'events/s', target: '> 1', floorValues: rate(main), subjectValues: rate(columns), note: `process CPU: ${cpu(main)} ms on one thread, ${cpu(columns)} ms with the worker; ${busy(columns)}` }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) emit(await rows());
