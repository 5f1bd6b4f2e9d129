#!/usr/bin/env node
// Cost growth (issue 14): the replay -> log tracer pipeline at 100k, 1M and 5M events (time and
// peak RSS: RSS must stay flat), and 1, 4 and 16 replay sources at once (each replaying the
// same 100k-event file). One run each: the curve, not a ratio.
// Run: node bench/growth.mjs [--json] [--quick]   (--quick: 100k, 300k, 1M; 1, 4 sources of 50k)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsFile, headless } from './data.mjs';
import { emit, quick, row } from './lib.mjs';

const SIZES = quick ? [100_000, 300_000, 1_000_000] : [100_000, 1_000_000, 5_000_000];
const SOURCES = quick ? [1, 4] : [1, 4, 16];
const PER_SOURCE = quick ? 50_000 : 100_000;

const label = (n) => (n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`);

async function replay(dir, inputs) {
  rmSync(join(dir, 'logs'), { recursive: true, force: true });
  const sources = inputs.map((file, i) => `[source.s${i}]\ntype = "replay"\npath = "${file}"\nspeed = 0\n\n`).join('');
  const cfg = join(dir, 'growth.toml');
  writeFileSync(cfg, `${sources}[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n`);
  return headless(cfg);
}

export async function rows() {
  const dir = join(tmpdir(), `mailtel-bench-growth-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  const out = [];
  try {
    for (const n of SIZES) {
      const r = await replay(dir, [await eventsFile(n)]);
      out.push(row({ figure: `growth: replay of ${label(n)} events -> log tracer, time`, subject: 'mailtel headless', unit: 's', better: 'lower', subjectValues: [r.ms / 1000], note: `${Math.round(r.eventsPerSec)} events/s` }));
      out.push(row({ figure: `growth: replay of ${label(n)} events -> log tracer, peak RSS`, subject: 'mailtel headless', unit: 'MB', better: 'lower', subjectValues: [r.peakRssMB] }));
    }
    const file = await eventsFile(PER_SOURCE);
    for (const k of SOURCES) {
      const r = await replay(dir, Array(k).fill(file));
      out.push(row({ figure: `growth: ${k} replay source${k > 1 ? 's' : ''} at once, ${label(PER_SOURCE)} events each, time`, subject: 'mailtel headless', unit: 's', better: 'lower', subjectValues: [r.ms / 1000], note: `${Math.round(r.eventsPerSec)} events/s in all, peak RSS ${Math.round(r.peakRssMB)} MB` }));
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) emit(await rows());
