#!/usr/bin/env node
// Mail views benchmark: does a view open on the console slow the pipeline down? Replays N events
// (default 100,000) of generated demo traffic at speed 0 into a log sink at level trace, once
// headless and once per view with the console up in a 120x40 tmux terminal, and compares the
// time from the command to the source's `finished` (the ingest time: the replay waits on the
// sink's queue, so this is the pipeline's pace), and the process's CPU time up to then (less
// moved by other load on the machine than wall time). Needs tmux, Linux /proc and `npm run build`.
//   node bench/views.mjs            BENCH_EVENTS=500000 node bench/views.mjs
// As rows (bench/README.md; `npm run bench` calls rows()): per view, the console's ingest rate
// with that view open (from the view open to the finish: start-up excluded, which would
// otherwise weigh on a replay of seconds) against the same replay headless (from its first
// status counting events), rounds alternating (issue 15: the
// console-vs-headless ratio of issue 14, >= 0.9, holds with each view open); and the mail
// index's own cost, the collector with it against the collector without it.
//   node bench/views.mjs --json [--quick]
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { alternate, argv, emit, median, quick, row } from './lib.mjs';

const VIEWS = [
  ['events pane (no view)', []],
  ['histogram (H)', ['H']],
  ['domains (D)', ['D']],
  ['security (A)', ['A']],
  ['trail search (T)', ['T']],
  ['a trail (T, Enter, Enter)', ['T', 'Enter', 'Enter']],
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Headless on `config` until the replay finished: `ms` from the command, process `cpu` ms, and
 * `rate`: events/s from the first status that counted events to the finish (start-up excluded).
 */
async function headless(config, events) {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/mailtel.js', '--headless', '--status-json', '--status-interval', '0.1', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  let first;
  const r = await new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const s = JSON.parse(line);
        const now = performance.now();
        if (!first && s.collector.events > 0) first = { at: now, events: s.collector.events };
        if (s.sources?.[0]?.state === 'finished' && s.collector.events >= events) {
          resolve({ ms: now - started, cpu: s.process ? s.process.cpuUserMs + s.process.cpuSystemMs : NaN, rate: rateSince(first, now, s.collector.events) });
        }
      }
    });
  });
  child.kill('SIGTERM');
  await new Promise((res) => child.on('exit', res));
  return r;
}

/** Events/s from a first reading `{at, events}` to `events` at `now` (NaN without a span). */
function rateSince(first, now, events) {
  return first && now > first.at && events > first.events ? (events - first.events) / ((now - first.at) / 1000) : NaN;
}

/** utime + stime of a process, ms (Linux /proc; clock ticks of 10 ms). */
function cpuOf(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(parts[11]) + Number(parts[12])) * 10;
}

/**
 * The console on `config` in a 120x40 tmux, `keys` typed once it is up: `ms` from the command to
 * the replay finished, process `cpu` ms, and `rate`: events/s from the view open (the header's
 * event count then) to the finish. The screen is read every 50 ms (tmux's own CPU is small).
 */
let consoles = 0;
async function console_(config, keys) {
  // A socket per run: the previous run's server may still be going away (kill-server returns
  // before it has), and a new session on its socket then fails with "server exited unexpectedly".
  const socket = `mailtel-bench-${process.pid}-${++consoles}`;
  const tmux = (...a) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', 'b');
  const started = performance.now();
  tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'b', '-x', '120', '-y', '40', `${process.execPath} bin/mailtel.js --config ${config}; sleep 30`);
  try {
    while (!/ mailtel /.test(screen())) await sleep(20);
    for (const k of keys) {
      tmux('send-keys', '-t', 'b', k);
      await sleep(150);
    }
    const counted = (text) => Number(/ mailtel .*?events ([\d,]+)/.exec(text)?.[1]?.replace(/,/g, '') ?? NaN);
    const opened = screen();
    const first = { at: performance.now(), events: counted(opened) };
    let last = opened;
    while (!/bench\s+replay\s+finished/.test(last)) {
      await sleep(50);
      last = screen();
    }
    const now = performance.now();
    const ms = now - started;
    const shell = tmux('display', '-p', '-t', 'b', '#{pane_pid}').trim();
    const node = execFileSync('pgrep', ['-P', shell], { encoding: 'utf8' }).trim().split('\n')[0];
    return { ms, cpu: cpuOf(node), rate: rateSince(Number.isFinite(first.events) ? first : undefined, now, counted(last)) };
  } finally {
    try {
      tmux('kill-server');
    } catch {}
  }
}

/** The mail index's own cost per event, in process (bundled from bench/mail-index-entry.ts). */
async function indexCost(events) {
  const out = join(tmpdir(), `mailtel-index-bench-${process.pid}.mjs`);
  await build({ entryPoints: ['bench/mail-index-entry.ts'], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  const mod = await import(out);
  rmSync(out, { force: true });
  return mod.indexCost(events, 5);
}

/** A temp dir with `events` generated events and a config replaying them into a log tracer. */
function prepare(events) {
  const dir = join(tmpdir(), `mailtel-bench-views-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const input = join(dir, 'events.ndjson');
  const fd = openSync(input, 'w');
  execFileSync(process.execPath, ['bin/mailtel.js', 'generate', '--events', String(events), '--seed', '7', '--rate', '2000'], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const config = join(dir, 'mailtel.toml');
  writeFileSync(config, `[source.bench]\ntype = "replay"\npath = "${input}"\nspeed = 0\n\n[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n`);
  return { dir, config };
}

export async function main(events = Number(process.env.BENCH_EVENTS ?? 100_000)) {
  const cost = await indexCost(300_000);
  console.log(
    `mail index: ${cost.events} demo events through the collector ${cost.withoutMs.toFixed(0)} ms without it, ${cost.withMs.toFixed(0)} ms with it ` +
      `(medians of 5): ${cost.nsPerEvent.toFixed(0)} ns per event; ${cost.messages} messages and ${cost.domains} domains held (bounded)`,
  );
  const { dir, config } = prepare(events);
  const base = (await headless(config, events)).ms;
  console.log(`views: ${events} events replayed at speed 0 into a log sink (level trace); time from the command to the source finished`);
  console.log(`  headless                       ${(base / 1000).toFixed(2)} s  (${Math.round(events / (base / 1000))} events/s)`);
  const results = { events, index: cost, headlessMs: Math.round(base), views: {} };
  // Each view's run is paired with a run of the console without a view and a headless run right
  // before it (the machine's load moves; pairs compare like with like).
  for (const [name, keys] of VIEWS) {
    const plain = keys.length ? await console_(config, []) : undefined;
    const hl = await headless(config, events);
    const v = await console_(config, keys);
    results.views[name] = { ms: Math.round(v.ms), cpuMs: v.cpu, headlessCpuMs: hl.cpu, plainCpuMs: plain?.cpu };
    const f = (x) => (x / 1000).toFixed(2);
    console.log(
      `  console, ${name.padEnd(26)} wall ${f(v.ms)} s (${(v.ms / hl.ms).toFixed(2)}x headless ${f(hl.ms)} s)  ` +
        `CPU ${f(v.cpu)} s = ${(v.cpu / hl.cpu).toFixed(2)}x headless CPU ${f(hl.cpu)} s` +
        (plain ? `, ${(v.cpu / plain.cpu).toFixed(2)}x the console without a view (${f(plain.cpu)} s)` : ''),
    );
  }
  rmSync(dir, { recursive: true, force: true });
  return results;
}

/**
 * The rows: per view, events/s from the command to the replay finished, console with the view
 * open (120x40 tmux) against headless, rounds alternating; then the mail index's cost.
 */
export async function rows() {
  const events = quick ? 100_000 : 300_000;
  const rounds = quick ? 1 : 2;
  const cost = await indexCost(quick ? 100_000 : 300_000);
  const { dir, config } = prepare(events);
  const out = [];
  try {
    await headless(config, events); // warm the file cache
    for (const [name, keys] of VIEWS) {
      const cpu = { headless: [], console: [] };
      const r = await alternate(rounds, {
        floor: async () => {
          const h = await headless(config, events);
          cpu.headless.push(h.cpu);
          return h.rate;
        },
        subject: async () => {
          const c = await console_(config, keys);
          cpu.console.push(c.cpu);
          return c.rate;
        },
        warmup: false,
      });
      const cpuRatio = median(cpu.console.map((c, i) => c / cpu.headless[i]));
      out.push(
        row({
          figure: `ingest with the console up, ${name}, vs headless, replay of ${events / 1000}k events -> log tracer`,
          floor: 'the same replay headless',
          subject: `console (120x40 tmux), ${name}`,
          unit: 'events/s',
          target: '>= 0.9',
          note: `events/s from the view open (headless: the first status counting events) to the replay finished; process CPU ${cpuRatio.toFixed(2)}x headless`,
          ...r,
        }),
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rate = (ms) => cost.events / (ms / 1000);
  out.push(
    row({
      figure: `mail index: ${cost.events / 1000}k demo events through the collector with the index vs without (CPU time)`,
      floor: 'the collector without the mail index',
      subject: 'the collector with the mail index',
      unit: 'events/s',
      floorValues: [rate(cost.withoutMs)],
      subjectValues: [rate(cost.withMs)],
      note: `${cost.nsPerEvent.toFixed(0)} ns per event; ${cost.messages} messages and ${cost.domains} domains held (bounded); medians of 5`,
    }),
  );
  return out;
}

/**
 * The mail index alone (bench/mail-index-micro.ts): ns per event of observe() and the heap it
 * keeps once full. Needs --expose-gc: `node --expose-gc bench/views.mjs --micro [events]`.
 */
export async function micro(events = 300_000) {
  const out = join(tmpdir(), `mailtel-index-micro-${process.pid}.mjs`);
  await build({ entryPoints: ['bench/mail-index-micro.ts'], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  const mod = await import(out);
  rmSync(out, { force: true });
  return mod.micro(events, 7);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (argv.includes('--micro')) console.log(JSON.stringify(await micro(Number(argv[argv.indexOf('--micro') + 1]) || undefined)));
  else if (argv.includes('--json') || argv.includes('--quick')) emit(await rows());
  else await main();
}
