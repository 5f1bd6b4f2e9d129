/**
 * A real systemd-journald in a private journal namespace, started by a test:
 * `systemd-journald <namespace>` listens on /run/systemd/journal.<namespace>/socket and stores
 * in /run/log/journal/<machine-id>.<namespace> (volatile, rate limit off, set in
 * /run/systemd/journald@<namespace>.conf). `read()` is `journalctl --namespace=<ns> -o json
 * --all`. `stop()`/`start()` restart it. `cleanup()` stops it and removes every file it made.
 *
 * `journaldUnavailable()` gives the reason a test must skip (no systemd package, not Linux,
 * not root); CI installs the `systemd` package (.ci/run) so there it runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { waitFor } from './wait.js';

const BINARIES = ['/lib/systemd/systemd-journald', '/usr/lib/systemd/systemd-journald'];

export function journaldBinary(): string | undefined {
  return BINARIES.find((b) => existsSync(b));
}

/** Why a real journald cannot run here, or undefined when it can. */
export function journaldUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `journald runs only on Linux (this is ${process.platform})`;
  if (!journaldBinary()) return 'systemd-journald is not installed (apt-get install systemd; .ci/run does)';
  if (spawnSync('journalctl', ['--version']).status !== 0) return 'journalctl is not installed';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'systemd-journald in a namespace needs root';
  if (!existsSync('/etc/machine-id') || readFileSync('/etc/machine-id', 'utf8').trim() === '') return 'no /etc/machine-id for journald';
  return undefined;
}

export type JournalEntry = Record<string, string | number[] | null | (string | number[])[]>;

export class Journald {
  readonly namespace: string;
  readonly socket: string;
  private proc: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private output = '';

  constructor(prefix = 'mailtel') {
    this.namespace = `${prefix}${process.pid}x${Math.floor(Math.random() * 1e9).toString(36)}`;
    this.socket = `/run/systemd/journal.${this.namespace}/socket`;
  }

  private get confFile(): string {
    return `/run/systemd/journald@${this.namespace}.conf`;
  }

  /** Starts journald (again) and waits until its native socket accepts a datagram. */
  async start(timeoutMs = 15_000): Promise<void> {
    const bin = journaldBinary();
    if (!bin) throw new Error('systemd-journald is not installed');
    mkdirSync('/run/systemd', { recursive: true });
    writeFileSync(this.confFile, '[Journal]\nStorage=volatile\nRateLimitBurst=0\nRateLimitIntervalSec=0\nRuntimeMaxUse=256M\n');
    // A socket left by the previous run would look like a listener: remove it first.
    rmSync(this.socket, { force: true });
    const proc = spawn(bin, [this.namespace], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc = proc;
    proc.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    await waitFor(() => existsSync(this.socket) || proc.exitCode !== null, timeoutMs, `journald ${this.namespace} socket`);
    if (proc.exitCode !== null) throw new Error(`systemd-journald ${this.namespace} exited ${proc.exitCode}: ${this.output.trim()}`);
    // Its own "Journal started" entry shows it has opened its files and reads the socket.
    const end = Date.now() + timeoutMs;
    while (this.readAll().length === 0) {
      if (Date.now() >= end) throw new Error(`journald ${this.namespace} wrote no first entry within ${timeoutMs} ms: ${this.output.trim()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGTERM and wait for the exit. Its socket file stays, refusing datagrams, as after a crash. */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    p.kill('SIGTERM');
    await this.exited;
    this.proc = undefined;
  }

  /** SIGSTOP: journald stops reading, its socket queue fills (a busy journald). */
  pause(): void {
    this.proc?.kill('SIGSTOP');
  }

  /** SIGCONT after `pause`. */
  resume(): void {
    this.proc?.kill('SIGCONT');
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Every entry in the namespace, journald's own included. */
  readAll(): JournalEntry[] {
    const r = spawnSync('journalctl', [`--namespace=${this.namespace}`, '-o', 'json', '--all', '--no-pager'], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    });
    if (r.status !== 0 && r.stdout === '') return [];
    const out: JournalEntry[] = [];
    for (const line of r.stdout.split('\n')) if (line.trim() !== '') out.push(JSON.parse(line) as JournalEntry);
    return out;
  }

  /** Entries with this SYSLOG_IDENTIFIER. */
  read(identifier: string): JournalEntry[] {
    return this.readAll().filter((e) => e.SYSLOG_IDENTIFIER === identifier);
  }

  /**
   * Waits until at least `count` entries with this identifier are in the journal and returns
   * them all. Polls every 100 ms: each look is a journalctl process, too heavy for waitFor's 10 ms.
   */
  async entries(identifier: string, count: number, timeoutMs = 20_000): Promise<JournalEntry[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const got = this.read(identifier);
      if (got.length >= count) return got;
      if (Date.now() >= end) throw new Error(`journal ${this.namespace}: ${got.length} of ${count} entries for ${identifier} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Stops journald and removes its config, sockets and journal files. */
  async cleanup(): Promise<void> {
    await this.stop();
    rmSync(this.confFile, { force: true });
    rmSync(`/run/systemd/journal.${this.namespace}`, { recursive: true, force: true });
    const id = existsSync('/etc/machine-id') ? readFileSync('/etc/machine-id', 'utf8').trim() : '';
    if (id !== '') {
      rmSync(`/run/log/journal/${id}.${this.namespace}`, { recursive: true, force: true });
      rmSync(`/var/log/journal/${id}.${this.namespace}`, { recursive: true, force: true });
    }
  }
}

/** A journal field as text: journalctl prints non-UTF-8 values as byte arrays, repeated fields as arrays. */
export function fieldText(v: JournalEntry[string] | undefined): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (v.length > 0 && typeof v[0] === 'number') return Buffer.from(v as number[]).toString('utf8');
  return (v as (string | number[])[]).map((x) => (typeof x === 'string' ? x : Buffer.from(x).toString('utf8'))).join('\u0000');
}
