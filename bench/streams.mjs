#!/usr/bin/env node
// Event-stream fan-out benchmark: a headless mailtel (demo source at 20,000 events/s, a log
// tracer at warn) serves /api/telemetry/traces/live (v0.15 elements, whose "createdAt" marks each
// event; the figures stay comparable with earlier runs); a separate client process opens 0, 1, 10, 50 and
// again 0 plain SSE clients (up to 10 per process). For each phase, after a warm-up, it measures in the same run:
// events/s delivered per client (min and median), mailtel's CPU (% of one core), and the
// pipeline's own ingest rate. BENCH_STREAM_RATE and BENCH_STREAM_SECONDS change the rate (20000)
// and the measured seconds per phase (5).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PATTERN = Buffer.from('"createdAt":"');

/** Client mode: open `n` streams, count events during [warmMs, warmMs + measureMs], print JSON. */
async function clients(url, n, warmMs, measureMs) {
  const counts = new Array(n).fill(0);
  const bytes = new Array(n).fill(0);
  const reqs = [];
  let open = 0;
  for (let i = 0; i < n; i++) {
    const req = http.get(url, (res) => {
      if (res.statusCode !== 200) throw new Error(`client ${i}: HTTP ${res.statusCode}`);
      open++;
      let tail = Buffer.alloc(0);
      res.on('data', (chunk) => {
        bytes[i] += chunk.length;
        // A pattern cut by a chunk boundary: look in the few bytes around it only (no copy of the chunk).
        if (tail.length) {
          const seam = Buffer.concat([tail, chunk.subarray(0, PATTERN.length - 1)]);
          if (seam.indexOf(PATTERN) >= 0) counts[i]++;
        }
        for (let at = chunk.indexOf(PATTERN); at >= 0; at = chunk.indexOf(PATTERN, at + PATTERN.length)) counts[i]++;
        tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - PATTERN.length + 1)));
      });
    });
    req.on('error', (e) => {
      throw e;
    });
    reqs.push(req);
  }
  // Under load the answers can take seconds: the warm-up starts once every client has its headers.
  const openBy = Date.now() + 30_000;
  while (open < n && Date.now() < openBy) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, warmMs));
  const c0 = counts.slice();
  const b0 = bytes.slice();
  const from = Date.now();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, measureMs));
  const dt = (performance.now() - t0) / 1000;
  const perClient = counts.map((c, i) => (c - c0[i]) / dt);
  const bytesPerSec = bytes.reduce((s, b, i) => s + b - b0[i], 0) / dt;
  for (const r of reqs) r.destroy();
  process.stdout.write(JSON.stringify({ open, perClient, bytesPerSec, from, to: Date.now() }) + '\n');
  process.exit(0);
}

/** Up to 10 clients per process, so the readers are not one process's bottleneck. */
async function runClients(url, n, warmMs, measureMs) {
  const sizes = [];
  for (let left = n; left > 0; left -= 10) sizes.push(Math.min(10, left));
  const results = await Promise.all(sizes.map((k) => runClientProcess(url, k, warmMs, measureMs)));
  return {
    from: Math.min(...results.map((r) => r.from)),
    to: Math.max(...results.map((r) => r.to)),
    open: results.reduce((s, r) => s + r.open, 0),
    perClient: results.flatMap((r) => r.perClient),
    bytesPerSec: results.reduce((s, r) => s + r.bytesPerSec, 0),
  };
}

function runClientProcess(url, n, warmMs, measureMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--clients', url, String(n), String(warmMs), String(measureMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`clients exited ${code}`))));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

export async function main(rate = Number(process.env.BENCH_STREAM_RATE ?? 20_000), seconds = Number(process.env.BENCH_STREAM_SECONDS ?? 5)) {
  const dir = join(tmpdir(), `mailtel-bench-streams-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const config = join(dir, 'mailtel.toml');
  writeFileSync(
    config,
    `[source.demo]\ntype = "demo"\nrate = ${rate}\nseed = 7\n\n[tracer.log]\ntype = "log"\nlevel = "warn"\npath = "${join(dir, 'logs')}"\n\n` +
      `[http]\nlisten = "127.0.0.1:0"\nmax-clients = 64\n`,
  );
  const child = spawn(process.execPath, ['bin/mailtel.js', '--headless', '--status-json', '--status-interval', '1', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
  const snaps = [];
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line) snaps.push({ ...JSON.parse(line), wall: performance.now() });
    }
  });
  const exited = new Promise((r) => child.on('exit', r));
  try {
    for (let i = 0; i < 200 && !snaps[0]?.http?.url; i++) await sleep(50);
    const url = snaps[0]?.http?.url;
    if (!url) throw new Error('mailtel did not report its listener');
    const warmMs = 2_000;
    const measureMs = seconds * 1000;
    const rows = [];
    for (const n of [0, 1, 10, 50, 0]) {
      const res =
        n === 0
          ? await (async () => {
              const from = Date.now() + warmMs;
              await sleep(warmMs + measureMs);
              return { perClient: [], bytesPerSec: 0, open: 0, from, to: Date.now() };
            })()
          : await runClients(url + '/api/telemetry/traces/live', n, warmMs, measureMs);
      // mailtel's own figures over the clients' measured window (status lines every second).
      await sleep(1_100);
      const window = snaps.filter((s) => s.at >= res.from - 500 && s.at <= res.to + 500);
      const a = window[0];
      const b = window[window.length - 1];
      if (!a || a === b) throw new Error(`phase ${n}: not enough status lines`);
      const dt = (b.at - a.at) / 1000;
      const cpu = (b.process.cpuUserMs + b.process.cpuSystemMs - a.process.cpuUserMs - a.process.cpuSystemMs) / 1000 / dt;
      const row = {
        clients: n,
        opened: res.open,
        pipelinePerSec: Math.round((b.collector.events - a.collector.events) / dt),
        perClientMin: res.perClient.length ? Math.round(Math.min(...res.perClient)) : 0,
        perClientMedian: Math.round(median(res.perClient)),
        deliveredMBps: +(res.bytesPerSec / 2 ** 20).toFixed(1),
        cpuPct: Math.round(cpu * 100),
        rssMB: +(b.process.rssBytes / 2 ** 20).toFixed(0),
        dropped: b.sinks.find((s) => s.id === 'streams')?.details.clientsDropped ?? 0,
      };
      rows.push(row);
      const per = n ? `${row.opened} open, per client ${row.perClientMedian} ev/s (min ${row.perClientMin}), ` : '';
      console.log(
        `streams: ${String(n).padStart(2)} clients: pipeline ${row.pipelinePerSec} ev/s, ${per}` +
          `${row.deliveredMBps} MiB/s delivered, mailtel CPU ${row.cpuPct}% of a core, RSS ${row.rssMB} MB, clients dropped ${row.dropped}`,
      );
    }
    console.log(`streams: load average during the run ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
    return rows;
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Its figures as rows for `npm run bench` (bench/README.md): the pipeline's rate with n SSE clients against no client. */
export async function rows() {
  const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
  const phases = await main(undefined, quick ? 3 : undefined);
  const none = phases.filter((p) => p.clients === 0).map((p) => p.pipelinePerSec);
  const base = median(none);
  return phases
    .filter((p) => p.clients > 0)
    .map((p) => ({
      figure: `SSE fan-out: pipeline rate with ${p.clients} live tracing client${p.clients > 1 ? 's' : ''} (demo source at 20k events/s)`,
      floor: 'the same runtime with no client',
      subject: 'mailtel with the clients',
      unit: 'events/s',
      better: 'higher',
      floorMedian: base,
      min: p.pipelinePerSec,
      median: p.pipelinePerSec,
      max: p.pipelinePerSec,
      ratio: base ? +(p.pipelinePerSec / base).toFixed(3) : null,
      target: null,
      pass: null,
      rounds: 1,
      note: `${p.opened} open, per client ${p.perClientMedian} ev/s (min ${p.perClientMin}), ${p.deliveredMBps} MiB/s, CPU ${p.cpuPct}%, RSS ${p.rssMB} MB, dropped ${p.dropped}`,
    }));
}

if (process.argv[2] === '--clients') await clients(process.argv[3], Number(process.argv[4]), Number(process.argv[5]), Number(process.argv[6]));
else if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--json')) for (const row of await rows()) process.stdout.write(JSON.stringify(row) + '\n');
  else await main();
}
