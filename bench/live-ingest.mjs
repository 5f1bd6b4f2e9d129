#!/usr/bin/env node
// Live ingest benchmark: a local Stalwart-like server (v0.16 routes: a plain-text token, then
// `event: trace` frames of live-trace arrays) streams N events (default 200,000; BENCH_LIVE_EVENTS)
// as fast as the socket takes them. In the same run it is read twice, each time by a child
// process: a bare `eventsource` client that only parses the frames (JSON.parse, count), then
// `mailtel --headless` with a stalwart source into a log sink at level trace (every event
// written). Prints both rates, their ratio (target >= 0.5) and mailtel's RSS while it ingests
// (target: flat, not growing with N).
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PER_FRAME = 1000;

/** The bare client: run as `node bench/live-ingest.mjs --bare URL N` (a child process). */
async function bare(url, n) {
  const { EventSource } = await import('eventsource');
  const token = await (await fetch(`${url}/api/token/tracing`, { headers: { Authorization: 'Basic YWRtaW46c2VjcmV0' } })).text();
  let count = 0;
  const started = performance.now();
  const es = new EventSource(`${url}/api/live/tracing?token=${token}`);
  es.addEventListener('trace', (m) => {
    count += JSON.parse(m.data).length;
    if (count >= n) {
      const ms = performance.now() - started;
      es.close();
      process.stdout.write(JSON.stringify({ events: count, ms, rssBytes: process.memoryUsage.rss() }) + '\n');
      process.exit(0);
    }
  });
}

/** Live-trace elements (§4: no id, no spanId) from `mailtel generate` output, in frames. */
function frames(dir, n) {
  const input = join(dir, 'events.ndjson');
  const fd = openSync(input, 'w');
  execFileSync(process.execPath, ['bin/mailtel.js', 'generate', '--events', String(n), '--seed', '11', '--rate', '5000'], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const out = [];
  let batch = [];
  for (const line of readFileSync(input, 'utf8').split('\n')) {
    if (line === '') continue;
    const ev = JSON.parse(line);
    delete ev.data.spanId;
    batch.push(JSON.stringify({ text: ev.type, details: ev.type, createdAt: ev.createdAt, type: ev.type, data: ev.data }));
    if (batch.length === PER_FRAME) {
      out.push(`event: trace\ndata: [${batch.join(',')}]\n\n`);
      batch = [];
    }
  }
  if (batch.length) out.push(`event: trace\ndata: [${batch.join(',')}]\n\n`);
  return out;
}

/** Serves a token, then every frame as fast as the connection drains, then stays open. */
async function serve(frameList) {
  const streams = [];
  const server = createServer(async (req, res) => {
    if (req.url.startsWith('/api/token/tracing')) return res.end('bench-token');
    if (!req.url.startsWith('/api/live/tracing')) {
      res.writeHead(404);
      return res.end();
    }
    const s = { startedAt: performance.now() };
    streams.push(s);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store' });
    for (const f of frameList) {
      if (!res.write(f)) await new Promise((r) => res.once('drain', r));
      if (res.destroyed) return;
    }
    s.writtenAt = performance.now();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, streams, url: `http://127.0.0.1:${server.address().port}` };
}

export async function main(n = Number(process.env.BENCH_LIVE_EVENTS ?? 200_000)) {
  const dir = join(tmpdir(), `mailtel-bench-live-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const { server, streams, url } = await serve(frames(dir, n));
  try {
    // 1. The bare eventsource client.
    const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--bare', url, String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise((r) => child.on('exit', r));
    const bareResult = JSON.parse(out.trim());
    const bareRate = n / (bareResult.ms / 1000);

    // 2. mailtel, headless, into a log sink.
    const config = join(dir, 'mailtel.toml');
    writeFileSync(
      config,
      `[source.bench]\ntype = "stalwart"\nurl = "${url}"\nauth.username = "admin"\nauth.secret = "secret"\nmetrics = false\napi = "v0.16"\n\n` +
        `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n`,
    );
    const mt = spawn(process.execPath, [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []), 'bin/mailtel.js', '--headless', '--status-json', '--status-interval', '0.1', '--config', config], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    const samples = [];
    let doneAt;
    let final;
    mt.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const s = JSON.parse(line);
        if (s.final) final = s;
        const written = s.sinks.find((k) => k.id === 'log')?.written ?? 0;
        samples.push({ events: s.collector.events, written, rss: s.process.rssBytes });
        if (doneAt === undefined && written >= n) {
          doneAt = performance.now();
          mt.kill('SIGTERM');
        }
      }
    });
    const code = await new Promise((r) => mt.on('exit', r));
    if (doneAt === undefined || !final) throw new Error(`mailtel exited ${code} before writing ${n} events`);
    const mtStream = streams[streams.length - 1];
    const mailtelMs = doneAt - mtStream.startedAt;
    const mailtelRate = n / (mailtelMs / 1000);
    const during = samples.filter((s) => s.events > 0);
    const rssAt = (f) => {
      const s = during.find((x) => x.written >= f * n) ?? during[during.length - 1];
      return +(s.rss / 2 ** 20).toFixed(0);
    };
    const result = {
      events: n,
      bareEventsPerSec: Math.round(bareRate),
      mailtelEventsPerSec: Math.round(mailtelRate),
      ratio: +(mailtelRate / bareRate).toFixed(2),
      bareRssMB: +(bareResult.rssBytes / 2 ** 20).toFixed(0),
      mailtelRssMB: { at25: rssAt(0.25), at50: rssAt(0.5), at75: rssAt(0.75), at100: rssAt(1) },
      mailtelPeakRssMB: +(final.process.peakRssBytes / 2 ** 20).toFixed(0),
      lost: n - final.collector.events,
    };
    console.log(
      `live-ingest: ${n} events over SSE. bare eventsource client (parse only) ${result.bareEventsPerSec} events/s; ` +
        `mailtel stalwart source -> log sink ${result.mailtelEventsPerSec} events/s; ratio ${result.ratio} (target >= 0.5). ` +
        `mailtel RSS at 25/50/75/100% ${result.mailtelRssMB.at25}/${result.mailtelRssMB.at50}/${result.mailtelRssMB.at75}/${result.mailtelRssMB.at100} MB ` +
        `(peak ${result.mailtelPeakRssMB} MB; bare client ${result.bareRssMB} MB), events lost ${result.lost}`,
    );
    return result;
  } finally {
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Its figures as rows for `npm run bench` (bench/README.md): one round. */
export async function rows() {
  const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
  const r = await main(quick ? 50_000 : undefined);
  const one = (v) => ({ min: v, median: v, max: v });
  return [
    { figure: `live ingest over SSE, ${r.events / 1000}k events -> log tracer`, floor: 'bare eventsource client (parse only)', subject: 'mailtel stalwart source', unit: 'events/s', better: 'higher', floorMedian: r.bareEventsPerSec, ...one(r.mailtelEventsPerSec), ratio: r.ratio, target: '>= 0.5', pass: r.ratio >= 0.5, rounds: 1, note: `events lost ${r.lost}` },
    { figure: `live ingest over SSE, peak RSS`, floor: null, subject: 'mailtel stalwart source', unit: 'MB', better: 'lower', floorMedian: null, ...one(r.mailtelPeakRssMB), ratio: null, target: null, pass: null, rounds: 1, note: `RSS at 25/50/75/100%: ${r.mailtelRssMB.at25}/${r.mailtelRssMB.at50}/${r.mailtelRssMB.at75}/${r.mailtelRssMB.at100} MB; bare client ${r.bareRssMB} MB` },
  ];
}

if (process.argv[2] === '--bare') await bare(process.argv[3], Number(process.argv[4]));
else if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--json')) for (const row of await rows()) process.stdout.write(JSON.stringify(row) + '\n');
  else await main();
}
