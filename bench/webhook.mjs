#!/usr/bin/env node
// Webhook benchmark, N events (default 100,000) of generated demo traffic, one local receiver
// (an HTTP server in a child process of its own that checks every signature, parses every body
// and counts every event; a real receiver is elsewhere: in this process its parsing would run on
// the thread that encodes mailtel's next batch and be charged to mailtel alone, since the bare
// loop has nothing to overlap with):
//  1. delivery: mailtel's webhook delivery loop (src/sinks/webhook/delivery.ts, bundled from src/
//     with esbuild) fed the events in this process: encode, sign, POST, one request in flight;
//  2. command: the same events replayed headless by the built command (dist/) into the webhook,
//     so the replay's parsing and the collector are in the figure too (peak RSS of that process);
//  and, in the same run, the same receiver fed by a bare loop of `fetch` POSTs of the very bodies
//  mailtel sent (same batches, one in flight). Every side is timed at the receiver, from the
//  first request's arrival to the last answer. Prints events/s, batches/s and the ratio
//  mailtel / bare loop (target >= 0.5): for the delivery loop the median of 5 rounds (9 with
//  --json, 5 with --quick: a round takes well under a second, and the machine's other load
//  swings one round's ratio by 2x either way) after a warm-up pair, delivery and bare loop
//  alternating which goes first. BENCH_WEBHOOK_EVENTS overrides N.
import { build } from 'esbuild';
import { execFileSync, fork, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const KEY = 'bench-signature-key';

/**
 * The receiver, in a child process of its own (`--receiver`), as a real receiver is elsewhere:
 * in this process it would parse and check each body on the very thread that encodes the next
 * batch, and charge its own work to mailtel (the bare loop has nothing to overlap with, so it
 * would not pay it). It checks every signature, parses every body and counts every event,
 * timing from the first request's arrival to the last answer. The parent drives it by IPC.
 */
function receiverMain() {
  const rx = { bodies: [], headers: [], events: 0, posts: 0, first: 0, last: 0, bad: 0, keep: true };
  const server = http.createServer((req, res) => {
    const start = performance.now();
    if (rx.first === 0) rx.first = start;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const sig = createHmac('sha256', KEY).update(body).digest('base64');
      if (sig !== req.headers['x-signature']) rx.bad++;
      rx.events += JSON.parse(body.toString('utf8')).events.length;
      rx.posts++;
      if (rx.keep) {
        rx.bodies.push(body);
        rx.headers.push(req.headers['x-signature']);
      }
      res.writeHead(200, { 'content-length': '0' });
      res.end();
      rx.last = performance.now();
    });
  });
  process.on('message', (m) => {
    if (m.op === 'reset') Object.assign(rx, { events: 0, posts: 0, first: 0, last: 0, bad: 0, keep: m.keep, bodies: m.keep ? [] : rx.bodies, headers: m.keep ? [] : rx.headers });
    if (m.op === 'bodies') return process.send({ bodies: rx.bodies, headers: rx.headers });
    if (m.op === 'close') return server.close(() => process.disconnect());
    process.send({ events: rx.events, posts: rx.posts, bad: rx.bad, ms: rx.last - rx.first });
  });
  server.listen(0, '127.0.0.1', () => process.send({ url: `http://127.0.0.1:${server.address().port}/hook` }));
}

/** Starts the receiver process; `ask(message)` resolves with its answer. */
async function receiver() {
  const child = fork(fileURLToPath(import.meta.url), ['--receiver'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = [];
  child.on('message', (m) => waiting.shift()?.(m));
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w({ error: `receiver exited ${code}` });
  });
  const ask = (m) =>
    new Promise((resolve, reject) => {
      waiting.push((r) => (r.error ? reject(new Error(r.error)) : resolve(r)));
      if (m) child.send(m);
    });
  const { url } = await ask();
  return { url, ask, close: () => new Promise((r) => (child.send({ op: 'close' }), child.on('exit', r))) };
}

/** Clears the receiver's counts; `keep` captures the bodies (for the bare loop that follows). */
const reset = (rx, keep) => rx.ask({ op: 'reset', keep });
const took = (rx) => rx.ask({ op: 'took' });

/** The bare loop: the given bodies POSTed with fetch, one at a time. */
async function bareLoop(rx, url, { bodies, headers: signatures }) {
  await reset(rx, false);
  const auth = `Basic ${Buffer.from('bench:secret').toString('base64')}`;
  for (let i = 0; i < bodies.length; i++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'x-bench': '1', authorization: auth, 'content-type': 'application/json', 'x-signature': signatures[i] },
      body: bodies[i],
    });
    await res.arrayBuffer();
  }
  return took(rx);
}

/** Generated lines as the collector would hand them to a sink. */
function toEvents(text) {
  const out = [];
  let seq = 0;
  for (const line of text.split('\n')) {
    if (!line) continue;
    const ev = JSON.parse(line);
    const span = /"spanId":(\d+)/.exec(line)?.[1];
    // Keys copied as the replay's parser copies them (json-parse.ts copyData): a `delete` would
    // leave a dictionary-mode object, slower to read than anything the pipeline hands a sink.
    const data = {};
    for (const k in ev.data) if (k !== 'spanId') data[k] = ev.data[k];
    out.push({ seq: ++seq, type: ev.type, level: 'info', createdAt: Date.now(), data, ...(span ? { spanId: span } : {}), text: ev.type });
  }
  return out;
}

/**
 * Events offered in one synchronous run between two turns of the event loop: a replay at full
 * speed ingests one read's lines per turn (src/sources/replay-lines.ts reads 1 MB, about 4,300
 * lines of this traffic), a live source fewer. A feed that never yields would also hold back the
 * request just sent (its connection and writes need the event loop), which no source does.
 */
const FEED_RUN = 4096;

/** mailtel's delivery loop in this process, fed as the collector feeds it (one read's events per turn, waiting while full). */
let bundled;
async function deliveryRun(dir, url, events) {
  const entry = join(dir, 'delivery.mjs');
  bundled ??= build({ entryPoints: ['src/sinks/webhook/delivery.ts'], outfile: entry, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' }).then(() => import(entry));
  const { WebhookDelivery } = await bundled;
  let drained;
  const d = new WebhookDelivery(
    {
      id: 'bench', enable: true, url, events: { policy: 'include', patterns: [] }, timeoutMs: 30_000, throttleMs: 1, discardAfterMs: 3_600_000,
      signatureKey: KEY, headers: { 'X-Bench': '1' }, auth: { username: 'bench', secret: 'secret' }, allowInvalidCerts: false, lossy: false,
      queueSize: 32768, place: { file: 'bench', line: 1, col: 1, key: 'webhook.bench' },
    },
    { raise: () => {}, message: (_l, t) => console.error(t), onDrain: () => drained?.(), now: Date.now },
  );
  for (let i = 0; i < events.length; i++) {
    if (d.offer(events[i])) await new Promise((r) => (drained = r));
    else if ((i & (FEED_RUN - 1)) === FEED_RUN - 1) await new Promise((r) => setImmediate(r));
  }
  await d.idle();
  return d.ledger(Date.now());
}

export async function main(events = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 100_000), rounds = 5) {
  const dir = join(tmpdir(), `mailtel-bench-webhook-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'events.ndjson');
  const fd = openSync(input, 'w');
  execFileSync(process.execPath, ['bin/mailtel.js', 'generate', '--events', String(events), '--seed', '7', '--rate', '2000'], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const rx = await receiver();
  const url = rx.url;
  const check = (what, t, ledger) => {
    if (t.events !== events || t.bad > 0 || (ledger && ledger.delivered !== events)) throw new Error(`${what}: receiver got ${t.events} of ${events} events (${t.bad} bad signatures)`);
    return t;
  };

  // 1. The delivery loop in this process and the bare loop of its bodies, `rounds` rounds after
  //    a warm-up pair, alternating which goes first (the bare loop going first posts the bodies
  //    of the round before); the ratio is the median of the rounds' ratios.
  const evs = toEvents(readFileSync(input, 'utf8'));
  let sent;
  const delivery = async () => {
    await reset(rx, true);
    const ledger = await deliveryRun(dir, url, evs);
    const t = check('delivery', await took(rx), ledger);
    sent = await rx.ask({ op: 'bodies' });
    return t;
  };
  const bare = async () => check('bare loop', await bareLoop(rx, url, sent));
  const pairs = [];
  for (let i = 0; i <= rounds; i++) {
    let d, b;
    if (i % 2 === 0) {
      d = await delivery();
      b = await bare();
    } else {
      b = await bare();
      d = await delivery();
    }
    if (i > 0) pairs.push({ d, b, ratio: (d.events / d.ms) / (b.events / b.ms) });
  }
  pairs.sort((x, y) => x.ratio - y.ratio);
  const mid = pairs[(pairs.length - 1) >> 1];
  const deliveryFig = mid.d;
  const deliveryBare = mid.b;

  // 2. The built command, replaying the file, then the bare loop of its bodies.
  await reset(rx, true);
  const config = join(dir, 'mailtel.toml');
  writeFileSync(
    config,
    `[source.bench]\ntype = "replay"\npath = "${input}"\nspeed = 0\nrestamp = true\n\n` +
      `[webhook.bench]\nurl = "${url}"\nevents = ["*"]\nthrottle = "1ms"\ndiscard-after = "1h"\nsignature-key = "${KEY}"\n` +
      `auth.username = "bench"\nauth.secret = "secret"\nheaders = ["X-Bench: 1"]\n`,
  );
  const child = spawn(process.execPath, ['bin/mailtel.js', '--headless', '--status-json', '--until-done', '--status-interval', '60', '--stop-timeout', '60000', '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((r) => child.on('exit', r));
  const final = out.trim().split('\n').map((l) => JSON.parse(l)).find((s) => s.final);
  if (code !== 0 || !final) throw new Error(`mailtel exited ${code} without a final status`);
  const command = check('command', await took(rx));
  const commandBare = check('bare loop', await bareLoop(rx, url, await rx.ask({ op: 'bodies' })));
  await rx.close();
  rmSync(dir, { recursive: true, force: true });

  const perSec = (n, ms) => Math.round(n / (ms / 1000));
  const figures = (t) => ({ eventsPerSec: perSec(t.events, t.ms), batchesPerSec: +(t.posts / (t.ms / 1000)).toFixed(1), batches: t.posts, seconds: +(t.ms / 1000).toFixed(2) });
  const result = {
    events,
    delivery: figures(deliveryFig),
    deliveryBare: figures(deliveryBare),
    command: figures(command),
    commandBare: figures(commandBare),
    peakRssMB: +(final.process.peakRssBytes / 2 ** 20).toFixed(1),
    rounds: pairs.map((p) => ({ mailtel: perSec(p.d.events, p.d.ms), bare: perSec(p.b.events, p.b.ms), ratio: +p.ratio.toFixed(3) })),
  };
  result.deliveryRatio = +mid.ratio.toFixed(3);
  result.commandRatio = +(result.command.eventsPerSec / result.commandBare.eventsPerSec).toFixed(2);
  const line = (name, f) => `${name}: ${f.eventsPerSec} events/s, ${f.batchesPerSec} batches/s (${f.batches} POSTs in ${f.seconds} s)`;
  (process.argv.includes('--json') ? console.error : console.log)(
    [
      `webhook: ${events} events, every POST signed and checked`,
      line('  delivery loop (in process)     ', result.delivery),
      line('  bare fetch loop, same bodies   ', result.deliveryBare),
      `  ratio ${result.deliveryRatio} (median of ${pairs.length} rounds: ${result.rounds.map((r) => r.ratio).join(', ')}; target >= 0.5)`,
      line('  command (dist/, replay parsing)', result.command) + `, peak RSS ${result.peakRssMB} MB`,
      line('  bare fetch loop, same bodies   ', result.commandBare),
      `  ratio ${result.commandRatio} (end to end, the replay's parsing included)`,
    ].join('\n'),
  );
  return result;
}

/** Its figures as rows for `npm run bench` (bench/README.md): one round each. */
export async function rows() {
  const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
  const r = await main(undefined, quick ? 5 : 9);
  const mk = (figure, floor, subject, f, b, target) => ({
    figure, floor, subject, unit: 'events/s', better: 'higher', floorMedian: b.eventsPerSec,
    min: f.eventsPerSec, median: f.eventsPerSec, max: f.eventsPerSec, ratio: +(f.eventsPerSec / b.eventsPerSec).toFixed(3),
    target, pass: target ? f.eventsPerSec / b.eventsPerSec >= 0.5 : null, rounds: 1, note: `${f.batches} POSTs, every one signed and checked`,
  });
  const ms = r.rounds.map((x) => x.mailtel).sort((a, b) => a - b);
  const loop = {
    ...mk(`webhook delivery loop, ${r.events / 1000}k events`, 'bare fetch loop posting the same bodies', 'mailtel webhook delivery (in process)', r.delivery, r.deliveryBare, '>= 0.5'),
    min: ms[0], max: ms.at(-1), median: r.delivery.eventsPerSec, ratio: r.deliveryRatio, pass: r.deliveryRatio >= 0.5, rounds: r.rounds.length,
    note: `${r.delivery.batches} POSTs, every one signed and checked; round ratios ${r.rounds.map((x) => x.ratio).join(', ')}`,
  };
  return [
    loop,
    mk(`webhook end to end (replay -> webhook), ${r.events / 1000}k events`, 'bare fetch loop posting the same bodies', 'mailtel headless, replay parsing included', r.command, r.commandBare, null),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--receiver')) receiverMain();
  else if (process.argv.includes('--json')) for (const row of await rows()) process.stdout.write(JSON.stringify(row) + '\n');
  else await main();
}
