#!/usr/bin/env node
// Webhook benchmark: N events (default 100,000) of generated demo traffic replayed headless by
// the built command into a webhook whose receiver is a local HTTP server in this process; then,
// in the same run, the same receiver fed by a bare loop of `fetch` POSTs of the very bodies
// mailtel sent (same batches, one request in flight, as the webhook). Both sides are timed at the
// receiver, from the first request's arrival to the last answer. Prints events/s, batches/s, the
// command's peak RSS and the ratio mailtel / bare loop (target >= 0.5).
// BENCH_WEBHOOK_EVENTS overrides N.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = 'bench-signature-key';

function receiver() {
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
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ rx, server, url: `http://127.0.0.1:${server.address().port}/hook` })));
}

function reset(rx) {
  Object.assign(rx, { events: 0, posts: 0, first: 0, last: 0, bad: 0, keep: false });
}

export async function main(events = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 100_000)) {
  const dir = join(tmpdir(), `mailtel-bench-webhook-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const input = join(dir, 'events.ndjson');
  const fd = openSync(input, 'w');
  execFileSync(process.execPath, ['bin/mailtel.js', 'generate', '--events', String(events), '--seed', '7', '--rate', '2000'], { stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  const { rx, server, url } = await receiver();
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
  const hook = final.webhooks?.find((w) => w.id === 'bench');
  if (rx.events !== events || rx.bad > 0) throw new Error(`receiver got ${rx.events} of ${events} events (${rx.bad} bad signatures)`);
  const mailtel = { events: rx.events, posts: rx.posts, ms: rx.last - rx.first };
  const bodies = rx.bodies;
  const signatures = rx.headers;

  reset(rx);
  const auth = `Basic ${Buffer.from('bench:secret').toString('base64')}`;
  for (let i = 0; i < bodies.length; i++) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'x-bench': '1', authorization: auth, 'content-type': 'application/json', 'x-signature': signatures[i] },
      body: bodies[i],
    });
    await res.arrayBuffer();
  }
  const bare = { events: rx.events, posts: rx.posts, ms: rx.last - rx.first };
  server.close();
  rmSync(dir, { recursive: true, force: true });

  const perSec = (n, ms) => Math.round(n / (ms / 1000));
  const result = {
    events,
    mailtel: { eventsPerSec: perSec(mailtel.events, mailtel.ms), batchesPerSec: perSec(mailtel.posts, mailtel.ms), batches: mailtel.posts, seconds: +(mailtel.ms / 1000).toFixed(2) },
    bare: { eventsPerSec: perSec(bare.events, bare.ms), batchesPerSec: perSec(bare.posts, bare.ms), batches: bare.posts, seconds: +(bare.ms / 1000).toFixed(2) },
    peakRssMB: +(final.process.peakRssBytes / 2 ** 20).toFixed(1),
    delivered: hook?.delivered,
  };
  result.ratio = +(result.mailtel.eventsPerSec / result.bare.eventsPerSec).toFixed(2);
  console.log(
    `webhook: ${events} events delivered by mailtel in ${result.mailtel.batches} signed POSTs: ${result.mailtel.eventsPerSec} events/s, ` +
      `${result.mailtel.batchesPerSec} batches/s, peak RSS ${result.peakRssMB} MB\n` +
      `webhook: bare fetch loop, same ${result.bare.batches} bodies: ${result.bare.eventsPerSec} events/s, ${result.bare.batchesPerSec} batches/s\n` +
      `webhook: ratio mailtel / bare loop = ${result.ratio} (target >= 0.5)`,
  );
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
