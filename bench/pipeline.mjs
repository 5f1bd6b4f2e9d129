#!/usr/bin/env node
// Pipeline figures (issue 14), each against its floor in the same run, rounds alternating:
//  - replay -> one log tracer at level trace, vs the floor: read the file, split lines,
//    JSON.parse each (bench/floor-parse.mjs). events/s over the pipeline's own time.
//  - the same replay into two log tracers, a console tracer (stderr to /dev/null) and the
//    Prometheus endpoint on, vs the same floor.
//  - the pipeline's own rate (no floor; the absolute target).
// Run: node bench/pipeline.mjs [--json] [--quick]   (BENCH_EVENTS overrides the event count)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventsFile, floorParse, headless } from './data.mjs';
import { alternate, emit, quick, row } from './lib.mjs';

const EVENTS = Number(process.env.BENCH_EVENTS ?? (quick ? 200_000 : 500_000));
const ROUNDS = quick ? 2 : 3;

function config(dir, input, full) {
  const log = (id) => `[tracer.${id}]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, id)}"\n\n`;
  let toml = `[source.bench]\ntype = "replay"\npath = "${input}"\nspeed = 0\n\n` + log('log');
  if (full) {
    toml += log('log2') + `[tracer.con]\ntype = "console"\nlevel = "trace"\n\n[metrics.prometheus]\nenable = true\n\n[http]\nlisten = "127.0.0.1:0"\n`;
  }
  const file = join(dir, full ? 'full.toml' : 'one.toml');
  writeFileSync(file, toml);
  return file;
}

async function run(cfg, dir, expected) {
  for (const id of ['log', 'log2']) rmSync(join(dir, id), { recursive: true, force: true });
  const r = await headless(cfg);
  const log = r.sinks.find((s) => s.id === 'log');
  if (log.written !== expected) throw new Error(`the log tracer wrote ${log.written} of ${expected} events`);
  return r;
}

export async function rows() {
  const input = await eventsFile(EVENTS);
  const dir = join(tmpdir(), `mailtel-bench-pipeline-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  try {
    const one = config(dir, input, false);
    const full = config(dir, input, true);
    const floors = [];
    const single = [];
    const many = [];
    // One warm-up (file cache), then rounds: floor, one tracer, full set, order rotating.
    await floorParse(input);
    const sides = [
      async () => floors.push((await floorParse(input)).eventsPerSec),
      async () => single.push((await run(one, dir, EVENTS)).eventsPerSec),
      async () => many.push((await run(full, dir, EVENTS)).eventsPerSec),
    ];
    for (let i = 0; i < ROUNDS; i++) for (let k = 0; k < 3; k++) await sides[(i + k) % 3]();
    const fl = 'read the file, split lines, JSON.parse each';
    return [
      row({ figure: `replay -> log tracer (level trace), ${EVENTS / 1000}k events`, floor: fl, subject: 'mailtel headless', unit: 'events/s', target: '>= 0.5', floorValues: floors, subjectValues: single }),
      row({ figure: `same with two log tracers, console tracer, Prometheus on`, floor: fl, subject: 'mailtel headless', unit: 'events/s', target: '>= 0.35', floorValues: floors, subjectValues: many }),
      row({ figure: `pipeline rate, replay -> log tracer, ${EVENTS / 1000}k events`, subject: 'mailtel headless', unit: 'events/s', target: '>= 150000', subjectValues: single, note: 'absolute: depends on the machine and its load' }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) emit(await rows());
