#!/usr/bin/env node
// Journal benchmark: a real systemd-journald in a private namespace; N generated events
// (default 50,000, BENCH_JOURNAL_EVENTS) replayed headless into the journal tracer at level
// trace, then read back with journalctl to check every entry arrived. In the same run, for
// comparison: the same events into the log sink, and `logger --journald` (one process per
// entry, the way a shell or a tool without a datagram socket would reach journald) for a
// sample of BENCH_LOGGER_EVENTS (default 300) entries into the same journald.
// Skips with its reason where journald cannot run (not Linux, not root, no systemd package).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const JOURNALD = ['/lib/systemd/systemd-journald', '/usr/lib/systemd/systemd-journald'].find((b) => existsSync(b));

function unavailable() {
  if (process.platform !== 'linux') return `journald runs only on Linux (this is ${process.platform})`;
  if (!JOURNALD) return 'systemd-journald is not installed (apt-get install systemd)';
  if (process.getuid?.() !== 0) return 'systemd-journald in a namespace needs root';
  return undefined;
}

async function until(pred, ms, what) {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`journal bench: ${what} not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function startJournald(ns) {
  const socket = `/run/systemd/journal.${ns}/socket`;
  writeFileSync(`/run/systemd/journald@${ns}.conf`, '[Journal]\nStorage=volatile\nRateLimitBurst=0\nRateLimitIntervalSec=0\nRuntimeMaxUse=512M\n');
  const proc = spawn(JOURNALD, [ns], { stdio: 'ignore' });
  await until(() => existsSync(socket) || proc.exitCode !== null, 15_000, 'journald socket');
  if (proc.exitCode !== null) throw new Error(`systemd-journald exited ${proc.exitCode}`);
  return { proc, socket };
}

/** journald's CPU seconds so far (utime + stime from /proc, 100 ticks a second). */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

function countEntries(ns, identifier) {
  const r = spawnSync('journalctl', [`--namespace=${ns}`, '-t', identifier, '-o', 'cat', '--output-fields=MESSAGE', '--no-pager'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return r.stdout.split('\n').filter((l) => l !== '').length;
}

function headless(config) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, ['bin/mailtel.js', '--headless', '--status-json', '--until-done', '--status-interval', '60', '--config', config], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const final = out.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((s) => s.final);
      if (code !== 0 || !final) return reject(new Error(`mailtel exited ${code} without a final status`));
      resolve({ final, wallMs: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

function rate(final, id) {
  const sink = final.sinks.find((s) => s.id === id);
  const ms = final.at - final.startedAt;
  const cpuS = (final.process.cpuUserMs + final.process.cpuSystemMs) / 1000;
  return { sink, ms, cpuS, perSec: Math.round(sink.written / (ms / 1000)), rssMB: +(final.process.peakRssBytes / 2 ** 20).toFixed(1) };
}

/** `logger --journald` reaches only /run/systemd/journal/socket: a private mount namespace puts ours there. */
function loggerRun(ns, dir, n) {
  const script = join(dir, 'logger.sh');
  writeFileSync(
    script,
    [
      'set -e',
      `mkdir -p ${dir}/jdir`,
      `mount --bind /run/systemd/journal.${ns} ${dir}/jdir`,
      'mount -t tmpfs tmpfs /run/systemd',
      'mkdir /run/systemd/journal',
      `mount --bind ${dir}/jdir /run/systemd/journal`,
      `i=0; while [ $i -lt ${n} ]; do i=$((i+1)); printf 'PRIORITY=5\\nSYSLOG_IDENTIFIER=bench-logger\\nMESSAGE=EHLO command\\nDOMAIN=mx%s.example.org\\nREMOTEIP=192.0.2.10\\n' $i | logger --journald; done`,
    ].join('\n'),
  );
  const t0 = process.hrtime.bigint();
  const r = spawnSync('unshare', ['--mount', 'sh', script], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) return { error: (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n')[0] };
  return { ms, perSec: Math.round(n / (ms / 1000)) };
}

export async function main(events = Number(process.env.BENCH_JOURNAL_EVENTS ?? 50_000), loggerEvents = Number(process.env.BENCH_LOGGER_EVENTS ?? 300)) {
  const why = unavailable();
  if (why) {
    console.log(`journal: skipped: ${why}`);
    return { skipped: why };
  }
  const ns = `mtbench${process.pid}`;
  const dir = join(tmpdir(), `mailtel-journal-bench-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const jd = await startJournald(ns);
  try {
    const input = join(dir, 'events.ndjson');
    const fd = openSync(input, 'w');
    execFileSync(process.execPath, ['bin/mailtel.js', 'generate', '--events', String(events), '--seed', '7', '--rate', '2000'], { stdio: ['ignore', fd, 'inherit'] });
    closeSync(fd);
    const source = `[source.bench]\ntype = "replay"\npath = "${input}"\nspeed = 0\n\n`;
    const jconf = join(dir, 'journal.toml');
    writeFileSync(jconf, source + `[tracer.journal]\ntype = "journal"\nlevel = "trace"\nsocket = "${jd.socket}"\nidentifier = "bench-mailtel"\n`);
    const lconf = join(dir, 'log.toml');
    writeFileSync(lconf, source + `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = "${join(dir, 'logs')}"\n`);

    const cpu0 = cpuSeconds(jd.proc.pid);
    const j = rate((await headless(jconf)).final, 'journal');
    if (j.sink.written !== events) throw new Error(`journal sink wrote ${j.sink.written} of ${events} (${JSON.stringify(j.sink.details)})`);
    await until(() => countEntries(ns, 'bench-mailtel') >= events, 120_000, `${events} entries in the journal`);
    const inJournal = countEntries(ns, 'bench-mailtel');
    const journaldCpu = cpuSeconds(jd.proc.pid) - cpu0;
    const l = rate((await headless(lconf)).final, 'log');
    const lg = loggerEvents > 0 ? loggerRun(ns, dir, loggerEvents) : { error: 'BENCH_LOGGER_EVENTS=0' };
    const loggerInJournal = lg.error ? 0 : countEntries(ns, 'bench-logger');

    const d = j.sink.details;
    console.log(
      `journal: ${events} events replayed into journald (namespace ${ns}) in ${(j.ms / 1000).toFixed(2)} s = ${j.perSec} events/s, ` +
        `${inJournal} entries read back, ${d.memfd} via memfd, ${d.busyWaits} busy waits, lost ${d.lost}, mailtel CPU ${j.cpuS.toFixed(2)} s, peak RSS ${j.rssMB} MB; ` +
        `journald itself used ${journaldCpu.toFixed(2)} s CPU for them (${Math.round(inJournal / journaldCpu)} entries per CPU second)`,
    );
    console.log(`journal: same events into the log sink: ${l.perSec} events/s (${(l.ms / 1000).toFixed(2)} s), mailtel CPU ${l.cpuS.toFixed(2)} s`);
    console.log(
      lg.error
        ? `journal: logger --journald not measured: ${lg.error}`
        : `journal: logger --journald, one process per entry: ${loggerEvents} entries in ${(lg.ms / 1000).toFixed(2)} s = ${lg.perSec} events/s (${loggerInJournal} read back)`,
    );
    return { events, journalPerSec: j.perSec, inJournal, journaldCpu, logPerSec: l.perSec, loggerPerSec: lg.perSec ?? null, lost: d.lost };
  } finally {
    jd.proc.kill('SIGTERM');
    await new Promise((r) => (jd.proc.exitCode !== null ? r() : jd.proc.once('exit', r)));
    const id = existsSync('/etc/machine-id') ? readFileSync('/etc/machine-id', 'utf8').trim() : '';
    rmSync(`/run/systemd/journald@${ns}.conf`, { force: true });
    rmSync(`/run/systemd/journal.${ns}`, { recursive: true, force: true });
    if (id) {
      rmSync(`/run/log/journal/${id}.${ns}`, { recursive: true, force: true });
      rmSync(`/var/log/journal/${id}.${ns}`, { recursive: true, force: true });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Its figures as rows for `npm run bench` (bench/README.md): one round each. */
export async function rows() {
  const quick = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
  const r = await main(quick ? 10_000 : undefined, quick ? 100 : undefined);
  if (r.skipped) return [{ figure: 'journal tracer into journald', floor: null, subject: 'mailtel journal tracer', unit: 'events/s', better: 'higher', floorMedian: null, min: null, median: null, max: null, ratio: null, target: null, pass: null, rounds: 0, note: `skipped: ${r.skipped}` }];
  const one = (v) => ({ min: v, median: v, max: v });
  const ratio = (a, b) => (a && b ? +(a / b).toFixed(3) : null);
  return [
    { figure: `journal tracer, ${r.events / 1000}k events into a private journald`, floor: 'logger --journald, one process per entry', subject: 'mailtel journal tracer', unit: 'events/s', better: 'higher', floorMedian: r.loggerPerSec, ...one(r.journalPerSec), ratio: ratio(r.journalPerSec, r.loggerPerSec), target: null, pass: null, rounds: 1, note: `${r.inJournal} entries read back, ${r.lost} lost; journald used ${r.journaldCpu.toFixed(2)} s CPU` },
    { figure: `journal tracer vs log tracer, same ${r.events / 1000}k events`, floor: 'mailtel log tracer', subject: 'mailtel journal tracer', unit: 'events/s', better: 'higher', floorMedian: r.logPerSec, ...one(r.journalPerSec), ratio: ratio(r.journalPerSec, r.logPerSec), target: null, pass: null, rounds: 1 },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--json')) for (const row of await rows()) process.stdout.write(JSON.stringify(row) + '\n');
  else await main();
}
