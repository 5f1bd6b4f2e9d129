#!/usr/bin/env node
// Start-up benchmark: time from the command to the console's first frame, in a pseudo-terminal
// (util-linux `script`), against the floor: an Ink hello-world bundled into one file with
// esbuild, React in production mode, started the same way. Runs alternate; medians are reported.
// Target: at most 1.3x the floor. Needs dist/ (`npm run build`; `npm run bench` builds first).
// Run: `node bench/startup.mjs` (or `npm run bench`, which calls main()).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { argv, emit, quick, row } from './lib.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HELLO = `import React from 'react';
import { render, Text } from 'ink';
render(React.createElement(Text, null, 'hello from ink'));
setInterval(() => {}, 1000);
`;

const q = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Spawns `command` in a 120x40 pty; resolves with ms until `marker` appears in its output. */
function timeToOutput(command, cwd, marker) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${command}`, '/dev/null'], {
      cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TERM: 'xterm-256color', NO_COLOR: '' },
    });
    const exited = new Promise((r) => child.on('exit', r));
    exited.then(() => ms === undefined && finish(new Error(`exited before "${marker}":\n${out.slice(-500)}`)));
    let out = '';
    let ms;
    const timer = setTimeout(() => finish(new Error(`no "${marker}" within 15 s:\n${out.slice(-500)}`)), 15_000);
    let finished = false;
    const finish = (err) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      exited.then(() => (err ? reject(err) : resolve(ms)));
    };
    child.stdout.on('data', (d) => {
      out += d;
      if (ms === undefined && out.includes(marker)) {
        ms = Number(process.hrtime.bigint() - started) / 1e6;
        finish();
      }
    });
  });
}

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];

export async function main(runs = Number(process.env.BENCH_STARTUP_RUNS ?? 9)) {
  try {
    execFileSync('script', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('the start-up benchmark needs util-linux `script` for a pseudo-terminal');
  }
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const dir = mkdtempSync(join(tmpdir(), 'mailtel-startup-bench-'));
  try {
    writeFileSync(join(dir, 'hello.jsx'), HELLO);
    await build({
      entryPoints: [join(dir, 'hello.jsx')],
      outdir: join(dir, 'out'),
      outExtension: { '.js': '.mjs' },
      // Ink loads react-devtools-core only in development, from a lazily loaded chunk.
      splitting: true,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      nodePaths: [join(ROOT, 'node_modules')],
      define: { 'process.env.NODE_ENV': '"production"' },
      external: ['react-devtools-core'],
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
      logLevel: 'warning',
    });
    const node = q(process.execPath);
    const floor = [];
    const mailtel = [];
    // BENCH_STARTUP_ALSO=<another checkout, built>: its console timed in the same rounds too
    // (a branch against its base, interleaved); its median ratio goes to stderr.
    const also = process.env.BENCH_STARTUP_ALSO;
    const other = [];
    // One warm-up of each (file cache), then alternate.
    await timeToOutput(`${node} ${q(join(dir, 'out', 'hello.mjs'))}`, dir, 'hello from ink');
    await timeToOutput(`${node} ${q(join(ROOT, 'bin/mailtel.js'))}`, dir, ' mailtel ');
    for (let i = 0; i < runs; i++) {
      floor.push(await timeToOutput(`${node} ${q(join(dir, 'out', 'hello.mjs'))}`, dir, 'hello from ink'));
      // No config in the temp dir: the built-in demo, as a first `npx mailtel` does.
      // With another checkout, which of the two goes first alternates by round.
      if (also && i % 2) other.push(await timeToOutput(`${node} ${q(join(also, 'bin/mailtel.js'))}`, dir, ' mailtel '));
      mailtel.push(await timeToOutput(`${node} ${q(join(ROOT, 'bin/mailtel.js'))}`, dir, ' mailtel '));
      if (also && !(i % 2)) other.push(await timeToOutput(`${node} ${q(join(also, 'bin/mailtel.js'))}`, dir, ' mailtel '));
    }
    if (also) {
      const ratios = (xs) => xs.map((x, i) => x / floor[i]);
      console.error(`startup: ${also} ${(median(other) / 1000).toFixed(3)} s (${median(ratios(other)).toFixed(3)}x), this checkout ${median(ratios(mailtel)).toFixed(3)}x (medians of per-round ratios)`);
    }
    const result = { floorMs: median(floor), consoleMs: median(mailtel), ratio: median(mailtel) / median(floor), runs, floorRuns: floor, consoleRuns: mailtel };
    (argv.includes('--json') ? console.error : console.log)(
      `startup: first frame of the console ${(result.consoleMs / 1000).toFixed(3)} s, floor (bundled Ink hello-world) ` +
        `${(result.floorMs / 1000).toFixed(3)} s: ${result.ratio.toFixed(2)}x (target <= 1.3x; medians of ${runs}, in a 120x40 pty)`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The start-up figure as a row (bench/README.md): rounds alternate floor and console. */
export async function rows() {
  const r = await main(quick ? 3 : 7);
  return [
    row({ figure: 'command -> first frame, 120x40 pty', floor: 'one-file esbuild bundle of an Ink hello world', subject: 'mailtel (built-in demo)', unit: 'ms', better: 'lower', target: '<= 1.0', floorValues: r.floorRuns, subjectValues: r.consoleRuns }),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (argv.includes('--json') || argv.includes('--quick')) emit(await rows());
  else await main();
}
