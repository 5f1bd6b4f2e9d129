#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only a,b] [-- --write]`: runs every benchmark script (each
// in its own process, one after the other), collects their rows (the contract in
// bench/README.md), prints one table and writes it to docs/performance.md with the machine's
// core count, Node version, load and date. With --only the file is rewritten only with --write.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './data.mjs';

/** Every benchmark script, in the order they run. A missing one is skipped. */
export const SCRIPTS = ['pipeline', 'render', 'startup', 'growth', 'worker', 'webhook', 'streams', 'journal', 'live-ingest', 'views'];

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a, i) => a.startsWith('--only') && (a.includes('=') || args[i + 1]));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',') : undefined;
const write = !only || args.includes('--write');

function runScript(name) {
  return new Promise((resolve) => {
    const started = Date.now();
    const p = spawn(process.execPath, [join(ROOT, 'bench', `${name}.mjs`), '--json', ...(quick ? ['--quick'] : [])], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, ...(quick ? { BENCH_QUICK: '1' } : {}) },
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('exit', (code, signal) => {
      const rows = [];
      for (const line of out.split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          const r = JSON.parse(line);
          if (typeof r.figure === 'string') rows.push({ ...r, script: name });
        } catch {
          // not a row
        }
      }
      const seconds = Math.round((Date.now() - started) / 1000);
      const problem = code !== 0 ? `exited ${signal ?? code}` : rows.length === 0 ? 'printed no rows (see bench/README.md)' : undefined;
      resolve({ name, rows, seconds, problem });
    });
  });
}

const fmt = (v) => (v == null ? '' : typeof v === 'number' ? (Math.abs(v) >= 100 ? Math.round(v).toLocaleString('en-US') : String(+v.toPrecision(3))) : String(v));
const met = (r) => (r.pass == null ? '' : r.pass ? 'yes' : '**no**');

function table(rows) {
  const lines = [
    '| figure | floor | mailtel: median (min–max) | floor median | ratio | target | met |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const unit = r.unit ? ` ${r.unit}` : '';
    const spread = r.rounds > 1 ? ` (${fmt(r.min)}–${fmt(r.max)})` : '';
    lines.push(
      `| ${r.figure}${r.note ? ` <br>_${r.note}_` : ''} | ${r.floor ?? '—'} | ${fmt(r.median)}${unit}${spread}, ${r.rounds} round${r.rounds === 1 ? '' : 's'} | ${r.floorMedian == null ? '—' : fmt(r.floorMedian) + unit} | ${r.ratio ?? '—'} | ${r.target ?? ''} | ${met(r)} |`,
    );
  }
  return lines.join('\n');
}

const started = new Date();
const load0 = loadavg()[0];
const results = [];
for (const name of SCRIPTS) {
  if (only && !only.includes(name)) continue;
  if (!existsSync(join(ROOT, 'bench', `${name}.mjs`))) continue;
  console.error(`\n== ${name}`);
  const res = await runScript(name);
  if (res.problem) console.error(`bench ${name}: ${res.problem}`);
  results.push(res);
}
const rows = results.flatMap((r) => r.rows);
const minutes = ((Date.now() - started.getTime()) / 60000).toFixed(1);
const head =
  `Measured ${started.toISOString().replace(/\.\d+Z$/, 'Z')} on ${cpus().length} cores (${cpus()[0]?.model?.trim() ?? 'unknown CPU'}), ` +
  `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${load0.toFixed(1)} at the start, ${loadavg()[0].toFixed(1)} at the end; ` +
  `${quick ? '`npm run bench -- --quick`' : '`npm run bench`'} took ${minutes} min.`;
const problems = results.filter((r) => r.problem).map((r) => `- bench/${r.name}.mjs ${r.problem}`);
const body = `${head}\n\n${table(rows)}\n${problems.length ? `\nNot in the table:\n${problems.join('\n')}\n` : ''}`;
console.log('\n' + body);

if (write) {
  const doc = `# Performance

The last figures \`npm run bench\` measured (bench/run.mjs rewrites this file; do not edit by hand
below the line). Every ratio is mailtel against its floor measured in the same run, floor and
subject alternating over the rounds; the ratio is the median of the per-round ratios. Absolute
figures depend on the machine and on its load (this machine is shared); ratios much less so.
How each figure is measured: the header comment of each bench/*.mjs script. The row format the
scripts share: bench/README.md.

---

${body}`;
  writeFileSync(join(ROOT, 'docs/performance.md'), doc);
  console.error('wrote docs/performance.md');
}
process.exitCode = results.some((r) => r.problem) ? 1 : 0;
