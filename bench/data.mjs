// Benchmark inputs, generated once per machine and kept in the temp dir (deterministic: the
// same seed gives the same file), so every script and round replays the same bytes.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DATA = join(tmpdir(), 'mailtel-bench-data');

/** `events` lines of generated demo traffic (seed 7); files above 1M repeat the 1M file. */
export async function eventsFile(events) {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `events-${events}.ndjson`);
  if (existsSync(file)) return file;
  const tmp = `${file}.${process.pid}.tmp`;
  if (events > 1_000_000 && events % 1_000_000 === 0) {
    const one = await eventsFile(1_000_000);
    const out = createWriteStream(tmp);
    for (let i = 0; i < events / 1_000_000; i++) {
      for await (const chunk of createReadStream(one)) if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
    }
    await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
  } else {
    const fd = openSync(tmp, 'w');
    execFileSync(process.execPath, [join(ROOT, 'bin/mailtel.js'), 'generate', '--events', String(events), '--seed', '7', '--rate', '2000'], {
      stdio: ['ignore', fd, 'inherit'],
    });
    closeSync(fd);
  }
  renameSync(tmp, file);
  return file;
}

/** Runs `node args…` and resolves with its stdout's last JSON line (throws on a bad exit). */
export function nodeJson(args, { env, stderr = 'inherit' } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', stderr], env: { ...process.env, ...env } });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      const lines = out.trim().split('\n').filter((l) => l.startsWith('{'));
      if (code !== 0 || lines.length === 0) reject(new Error(`node ${args.join(' ')} exited ${signal ?? code}`));
      else resolve(lines.map((l) => JSON.parse(l)));
    });
  });
}

/**
 * Headless mailtel on `config` until its sources are done; events/s over the pipeline's own
 * time (from the final status: start-up excluded, as in the floor), CPU and peak RSS.
 */
export async function headless(config) {
  const statuses = await nodeJson(['bin/mailtel.js', '--headless', '--status-json', '--until-done', '--status-interval', '600', '--config', config], {
    stderr: 'ignore',
  });
  const final = statuses.find((s) => s.final);
  if (!final) throw new Error('mailtel ended without a final status');
  const ms = final.at - final.startedAt;
  return {
    events: final.collector.events,
    ms,
    eventsPerSec: final.collector.events / (ms / 1000),
    cpuMs: final.process.cpuUserMs + final.process.cpuSystemMs,
    peakRssMB: final.process.peakRssBytes / 2 ** 20,
    sinks: final.sinks,
  };
}

/** The floor: read the file, split lines, JSON.parse each, in its own process. */
export async function floorParse(file) {
  const [r] = await nodeJson([join(ROOT, 'bench/floor-parse.mjs'), file]);
  return r;
}
