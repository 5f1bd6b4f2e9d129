#!/usr/bin/env node
// Render benchmark of the console screen, against the floor measured in the same run.
//
//  frames  120x40, full 10,000-event history, demo source at 2,000 events/s, 10 fps: ms per frame
//          (sampling + React + Ink + the terminal writer, timed around each synchronous frame) vs
//          the floor: Ink drawing a full 120x40 screen of plain text, one frame every 100 ms,
//          interleaved with the console's frames in the same process. Bytes written per frame
//          (there and at 50 events/s), next to the size of a full redraw of the same frames.
//  cpu     demo source at 50,000 events/s: process CPU with the screen at 10 fps minus the same
//          runtime without a screen, as a share of one core (each run in its own process, runs
//          alternated, medians), and the frames' own time as a share of the wall clock.
//  memory  the same process with the screen, 20 s more (BENCH_RENDER_MEMORY_SECONDS): heap after
//          GC and RSS every 2 s. (`memory-base` in the bundle does the same without the screen.)
//
// The console code is bundled from src/ with esbuild (React in production mode, as in dist/);
// replays at full speed read on the built replay thread (dist/replay-worker.js), as in dist/.
// Targets: <= 1.3x the floor per frame, < 15% of a core at 10 fps, memory flat.
// Run: `node bench/render.mjs` (or `npm run bench`, which calls main()).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { fastTokenize, fastStringWidth, fastOutput, lazySegmenter } from '../scripts/esbuild-shared.mjs';
import { eventsFile } from './data.mjs';
import { alternate, argv, emit, quick, row } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const ENTRY = String.raw`
import { EventEmitter } from 'node:events';
import React from 'react';
import { render, Box, Text } from 'ink';
import { parseConfig } from './src/load-config.ts';
import { createRuntime } from './src/runtime/runtime.ts';
import { runConsole } from './src/ui/run.tsx';

class FakeTty extends EventEmitter {
  constructor(columns, rows, isTTY) { super(); this.columns = columns; this.rows = rows; this.isTTY = isTTY; this.bytes = 0; this.writes = 0; }
  write(s, cb) { this.bytes += Buffer.byteLength(s); this.writes++; if (typeof cb === 'function') cb(); return true; }
}
class FakeStdin extends EventEmitter {
  isTTY = true; data = null;
  setRawMode() {} setEncoding() {} resume() {} pause() {} ref() {} unref() {}
  read() { const d = this.data; this.data = null; return d; }
  type(s) { this.data = s; this.emit('readable'); this.emit('data', s); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const WORDS = 'smtp.connection-start remoteIp=192.0.2.10 from=alice@example.org queueId=73014444033 size=4096 ';

async function runtimeAt(rate, dir) {
  const toml = '[source.demo]\ntype = "demo"\nrate = ' + rate + '\nseed = 1\n\n[tracer.log]\ntype = "log"\nlevel = "error"\npath = ' + JSON.stringify(dir + '/logs') + '\n';
  const rt = await createRuntime(parseConfig(toml, 'bench.toml'), { historySize: 10000, captureConsole: true });
  await rt.start();
  return rt;
}

function Floor({ lines }) {
  return React.createElement(Box, { flexDirection: 'column', width: 120, height: 40 }, lines.map((l, i) => React.createElement(Text, { key: i }, l)));
}
const floorLines = (k) => Array.from({ length: 40 }, (_, i) => (k + ' ' + i + ' ' + WORDS.repeat(2)).slice(0, 120));

function startConsole(rt, cols, rows, onFrame) {
  const tty = new FakeTty(cols, rows, true);
  const stdin = new FakeStdin();
  const done = runConsole(rt, { fps: 10, theme: 'dark', historySize: 10000, onFrame }, { stdin, stdout: tty });
  return { tty, quit: async () => { stdin.type('q'); await done; } };
}

async function frames(dir) {
  const rt = await runtimeAt(2000, dir);
  while (rt.snapshot().collector.events < 10000) await sleep(100);
  const app = [];
  const full = [];
  const con = startConsole(rt, 120, 40, (ms, bytes) => (app.push(ms), full.push(bytes)));
  const floorOut = new FakeTty(120, 40, false);
  const floor = render(React.createElement(Floor, { lines: floorLines(0) }), { stdout: floorOut, stdin: new FakeStdin(), debug: true, exitOnCtrlC: false, patchConsole: false });
  const floorMs = [];
  let k = 0;
  await sleep(50);
  const timer = setInterval(() => {
    const t0 = performance.now();
    floor.rerender(React.createElement(Floor, { lines: floorLines(++k) }));
    floorMs.push(performance.now() - t0);
  }, 100);
  const bytes0 = con.tty.bytes;
  const n0 = app.length;
  await sleep(Number(process.env.BENCH_RENDER_SECONDS ?? 15) * 1000);
  const bytesPerFrame = (con.tty.bytes - bytes0) / (app.length - n0);
  const fullBytesPerFrame = full.slice(n0).reduce((a, b) => a + b, 0) / (full.length - n0);
  clearInterval(timer);
  floor.unmount();
  await con.quit();
  return { app: app.slice(5), floor: floorMs.slice(5), bytesPerFrame, fullBytesPerFrame, history: rt.recentEvents().length };
}

async function bytes(dir) {
  const rt = await runtimeAt(50, dir);
  const full = [];
  const con = startConsole(rt, 120, 40, (ms, b) => full.push(b));
  await sleep(3000);
  const b0 = con.tty.bytes;
  const n0 = full.length;
  await sleep(10000);
  const out = { bytesPerFrame: (con.tty.bytes - b0) / (full.length - n0), fullBytesPerFrame: full.slice(n0).reduce((a, b) => a + b, 0) / (full.length - n0), frames: full.length - n0 };
  await con.quit();
  return out;
}

async function cpu(dir, withScreen, memory) {
  const rt = await runtimeAt(50000, dir);
  const app = [];
  const con = withScreen ? startConsole(rt, 120, 40, (ms) => app.push(ms)) : undefined;
  await sleep(3000);
  const e0 = rt.snapshot().collector.events;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const n0 = app.length;
  await sleep(10000);
  const c = process.cpuUsage(c0);
  const wall = performance.now() - t0;
  const events = rt.snapshot().collector.events - e0;
  const out = { cpuShare: (c.user + c.system) / 1000 / wall, eventsPerSec: (events * 1000) / wall, frames: app.slice(n0) };
  if (memory) {
    const mem = [];
    const steps = Math.round(Number(process.env.BENCH_RENDER_MEMORY_SECONDS ?? 20) / 2);
    for (let i = 0; i <= steps; i++) {
      globalThis.gc?.();
      const m = process.memoryUsage();
      mem.push({ s: i * 2, heapMB: m.heapUsed / 2 ** 20, rssMB: m.rss / 2 ** 20 });
      if (i < steps) await sleep(2000);
    }
    out.memory = mem;
  }
  if (con) await con.quit();
  else await rt.stop();
  return out;
}

// Replays a file at full speed into a log tracer at level trace, with the screen up (as the
// console runs: 10,000 events of history, console tracers captured) or headless (as
// --headless runs: 1,000). Time from start until every event is written; peak RSS.
async function ingest(dir, withScreen, file) {
  const toml = '[source.bench]\ntype = "replay"\npath = ' + JSON.stringify(file) + '\nspeed = 0\n\n[tracer.log]\ntype = "log"\nlevel = "trace"\npath = ' + JSON.stringify(dir + '/ingest-' + process.pid) + '\n';
  const rt = await createRuntime(parseConfig(toml, 'bench.toml'), withScreen ? { historySize: 10000, captureConsole: true } : { historySize: 1000 });
  const t0 = performance.now();
  await rt.start();
  let frames = 0;
  const con = withScreen ? startConsole(rt, 120, 40, () => frames++) : undefined;
  const done = () => { const s = rt.snapshot(); return s.sources[0].state === 'finished' && s.sinks[0].written === s.collector.events; };
  while (!done()) await sleep(20);
  const ms = performance.now() - t0;
  const events = rt.snapshot().collector.events;
  if (con) await con.quit();
  else await rt.stop();
  return { events, ms, eventsPerSec: events / (ms / 1000), peakRssMB: process.resourceUsage().maxRSS / 1024, frames };
}

const [mode, dir, file] = process.argv.slice(2);
const result = mode === 'frames' ? await frames(dir) : mode === 'bytes' ? await bytes(dir) : mode.startsWith('ingest') ? await ingest(dir, mode === 'ingest-ui', file) : await cpu(dir, !mode.endsWith('base'), mode.startsWith('memory'));
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
`;

/**
 * The built replay thread (dist/replay-worker.js), which this bundle has no copy of: the replays
 * of the ingest rows read on it, as the built command's do at speed 0 (src/sources/replay-thread.ts).
 */
const REPLAY_WORKER = join(ROOT, 'dist', 'replay-worker.js');

function child(bundle, mode, dir, file) {
  if (!existsSync(REPLAY_WORKER)) throw new Error('dist/replay-worker.js is missing: run `npm run build` first');
  return new Promise((resolve, reject) => {
    const env = { ...process.env, NODE_ENV: 'production', MAILTEL_REPLAY_WORKER: REPLAY_WORKER };
    const p = spawn(process.execPath, ['--expose-gc', bundle, mode, dir, ...(file ? [file] : [])], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop())) : reject(new Error(`bench ${mode} exited ${code}`))));
  });
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const pct = (a, p) => {
  const s = [...a].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))];
};
const f1 = (n) => n.toFixed(1);

/** Bundles the benchmark's entry with the console code into `dir`; returns the script path. */
export async function buildBundle(dir, { stock = false } = {}) {
  const out = join(dir, stock ? 'out-stock' : 'out');
  const bundle = join(out, 'bench-render.js');
  await build({
    stdin: { contents: ENTRY, resolveDir: ROOT, loader: 'tsx', sourcefile: 'bench-render-entry.tsx' },
    entryNames: 'bench-render',
    outdir: out,
    splitting: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    external: ['react-devtools-core'],
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    // `stock`: Ink exactly as published, for the floor as the issue defines it.
    plugins: stock ? [] : [fastStringWidth, fastTokenize, fastOutput, lazySegmenter],
    logLevel: 'warning',
  });
  return bundle;
}

export async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mailtel-render-bench-'));
  try {
    const bundle = await buildBundle(dir);
    const fr = await child(bundle, 'frames', dir);
    // The floor with Ink exactly as published (mailtel's bundle speeds up Ink's own tokenizer
    // and width measurement too, so its floor in the same process is lower than Ink's).
    const stock = await child(await buildBundle(dir, { stock: true }), 'frames', dir);
    const quiet = await child(bundle, 'bytes', dir);
    // CPU with and without the screen, alternated to even out other load on the machine.
    const bases = [];
    const uis = [];
    for (let i = 0; i < Number(process.env.BENCH_RENDER_PAIRS ?? 3); i++) {
      bases.push(await child(bundle, 'cpu-base', dir));
      uis.push(await child(bundle, 'cpu-ui', dir));
    }
    const mem = await child(bundle, 'memory', dir);
    const base = { cpuShare: median(bases.map((b) => b.cpuShare)) };
    const uiShare = median(uis.map((u) => u.cpuShare));
    const ui = { ...uis.find((u) => u.cpuShare === uiShare), memory: mem.memory };
    const frameShare = median(uis.map((u) => u.frames.reduce((a, b) => a + b, 0) / 10000));
    const appMs = median(fr.app);
    const floorMs = median(stock.floor);
    const shippedFloorMs = median(fr.floor);
    const share = ui.cpuShare - base.cpuShare;
    const heap = ui.memory.map((m) => m.heapMB);
    const rss = ui.memory.map((m) => m.rssMB);
    const result = {
      frameMs: appMs,
      frameP90Ms: pct(fr.app, 0.9),
      floorMs,
      ratio: appMs / floorMs,
      shippedFloorMs,
      shippedRatio: appMs / shippedFloorMs,
      stockConsoleMs: median(stock.app),
      bytesPerFrame: fr.bytesPerFrame,
      fullRedrawBytesPerFrame: fr.fullBytesPerFrame,
      quietBytesPerFrame: quiet.bytesPerFrame,
      quietFullRedrawBytesPerFrame: quiet.fullBytesPerFrame,
      historyEvents: fr.history,
      loadedFrameMs: median(ui.frames),
      ingestPerSec: ui.eventsPerSec,
      cpuWithScreen: ui.cpuShare,
      cpuWithoutScreen: base.cpuShare,
      screenCpuShare: share,
      frameWorkShare: frameShare,
      heapMB: heap,
      rssMB: rss,
    };
    console.log(
      `render: ${f1(appMs)} ms/frame (p90 ${f1(result.frameP90Ms)}) at 120x40 with ${fr.history} events of history, floor ${f1(floorMs)} ms ` +
        `(stock Ink drawing a full screen of plain text): ${result.ratio.toFixed(2)}x (target <= 1.3x)\n` +
        `render: against the floor drawn by the Ink build mailtel ships (its tokenizer and width fast paths) ${f1(shippedFloorMs)} ms: ` +
        `${result.shippedRatio.toFixed(2)}x; the console on stock Ink ${f1(result.stockConsoleMs)} ms/frame\n` +
        `render: bytes written per frame: ${Math.round(fr.bytesPerFrame)} at 2,000 events/s, ${Math.round(quiet.bytesPerFrame)} at 50 events/s ` +
        `(a full redraw, what Ink's own writer does at full height: ${Math.round(fr.fullBytesPerFrame)} and ${Math.round(quiet.fullBytesPerFrame)})\n` +
        `render: at ${Math.round(ui.eventsPerSec)} events/s ingested, 10 fps: process ${f1(ui.cpuShare * 100)}% of a core with the screen, ` +
        `${f1(base.cpuShare * 100)}% without = screen ${f1(share * 100)}% (target < 15%; medians of ${uis.length} runs each); ` +
        `the frames themselves ${f1(frameShare * 100)}% (${f1(result.loadedFrameMs)} ms/frame)\n` +
        `render: memory over ${mem.memory.at(-1).s} s under that load (after GC, every 2 s): heap ${heap.map(f1).join(' ')} MB, RSS ${f1(rss[0])} -> ${f1(rss.at(-1))} MB`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The issue-14 figures of the console, as rows (bench/README.md): ingest with the screen up vs
 * headless (same replay, rounds alternating), peak RSS with the screen up at full ingest, and
 * the screen's CPU at 10 fps under 50,000 events/s (with minus without, pairs alternating).
 */
export async function rows() {
  const dir = mkdtempSync(join(tmpdir(), 'mailtel-render-bench-'));
  try {
    const bundle = await buildBundle(dir);
    const file = await eventsFile(quick ? 100_000 : 300_000);
    const ingestRuns = await alternate(quick ? 2 : 3, {
      floor: () => child(bundle, 'ingest-base', dir, file),
      subject: () => child(bundle, 'ingest-ui', dir, file),
    });
    const rate = (rs) => rs.map((r) => r.eventsPerSec);
    const pairs = await alternate(quick ? 2 : 3, {
      floor: () => child(bundle, 'cpu-base', dir),
      subject: () => child(bundle, 'cpu-ui', dir),
      warmup: false,
    });
    const screen = pairs.subjectValues.map((u, i) => (u.cpuShare - pairs.floorValues[i].cpuShare) * 100);
    const events = quick ? '100k' : '300k';
    const out = [
      row({ figure: `ingest with the console up vs headless, replay of ${events} events -> log tracer`, floor: 'the same replay headless', subject: 'console up (120x40, 10 fps)', unit: 'events/s', target: '>= 0.9', floorValues: rate(ingestRuns.floorValues), subjectValues: rate(ingestRuns.subjectValues) }),
      row({ figure: 'peak RSS with the console up at full ingest', subject: 'console up', unit: 'MB', better: 'lower', target: '<= 200', subjectValues: ingestRuns.subjectValues.map((r) => r.peakRssMB), note: `headless: ${ingestRuns.floorValues.map((r) => Math.round(r.peakRssMB)).join(', ')} MB` }),
      row({ figure: 'screen CPU at 10 fps, demo source at 50k events/s', subject: 'process CPU with the screen minus without', unit: '% of a core', better: 'lower', target: '<= 10', subjectValues: screen, note: `ingested ${Math.round(median(pairs.subjectValues.map((u) => u.eventsPerSec)))} events/s with the screen` }),
    ];
    if (!quick) {
      const fr = await child(bundle, 'frames', dir);
      const stock = await child(await buildBundle(dir, { stock: true }), 'frames', dir);
      out.push(row({ figure: 'ms per frame, 120x40, 10,000 events of history, 2,000 events/s', floor: 'stock Ink drawing a full 120x40 screen of plain text', subject: 'console frame', unit: 'ms', better: 'lower', target: '<= 1.3', floorValues: [median(stock.floor)], subjectValues: [median(fr.app)], note: 'medians over 15 s of frames' }));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (argv.includes('--json') || argv.includes('--quick')) emit(await rows());
  else await main();
}
