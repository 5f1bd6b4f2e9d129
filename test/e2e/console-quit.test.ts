import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { startSilentPeer, type SilentPeer } from '../helpers/silent-peer.js';
import { waitFor } from '../helpers/wait.js';
import { requireTmux, Tmux } from './tmux.js';

// Quitting the console while an OTLP collector never answers: bounded by --stop-timeout, and a
// second q (or Ctrl-C) leaves at once; the footer says so while stopping.
let dir: string;
let tmux: Tmux;
let peer: SilentPeer;
beforeAll(() => {
  requireTmux();
  dir = mkdtempSync(join(tmpdir(), 'mailtel-quit-e2e-'));
});
beforeEach(async () => {
  tmux = new Tmux();
  peer = await startSilentPeer();
});
afterEach(async () => {
  tmux?.kill();
  await peer.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  return waitFor(get, timeoutMs, () => `${what}; screen:\n${tmux.screen().join('\n')}`, 50);
}

function start(stopTimeout: number): string {
  const cfg = join(dir, `m-${stopTimeout}.toml`);
  writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 50\n\n[tracer.otel]\ntype = "open-telemetry"\ntransport = "http"\nendpoint = "${peer.url}/"\nlevel = "info"\nthrottle = "100ms"\ntimeout = "60s"\n`);
  const done = join(dir, `exit-${stopTimeout}`);
  tmux.start(`cd ${JSON.stringify(ROOT)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --config ${JSON.stringify(cfg)} --stop-timeout ${stopTimeout}; echo $? > ${JSON.stringify(done)}; sleep 60`, 100, 30, { TERM: 'xterm-256color' });
  return done;
}

const exitCode = (done: string) => existsSync(done) && readFileSync(done, 'utf8').trim();

describe('quitting the console with a collector that never answers', () => {
  it('a second q quits at once, and the footer says so while stopping', async () => {
    const done = start(120_000);
    await until('an export in flight', () => peer.connections() > 0 && /^ mailtel /.test(tmux.screen()[0] ?? ''));
    tmux.keys('q');
    await until('the stopping footer', () => tmux.screen().some((l) => l.includes('stopping: flushing sinks') && l.includes('q or Ctrl-C again quits at once')));
    expect(tmux.screen().some((l) => l.includes('q quit now'))).toBe(true);
    const t0 = Date.now();
    tmux.keys('q');
    expect(await until('the exit code', () => exitCode(done), 10_000)).toBe('130');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });

  it('Ctrl-C during the flush quits at once too', async () => {
    const done = start(120_000);
    await until('an export in flight', () => peer.connections() > 0 && /^ mailtel /.test(tmux.screen()[0] ?? ''));
    tmux.keys('C-c');
    await until('the stopping footer', () => tmux.screen().some((l) => l.includes('stopping: flushing sinks')));
    tmux.keys('C-c');
    expect(await until('the exit code', () => exitCode(done), 10_000)).toBe('130');
  });

  it('one q is bounded by --stop-timeout and exits 0', async () => {
    const done = start(1500);
    await until('an export in flight', () => peer.connections() > 0 && /^ mailtel /.test(tmux.screen()[0] ?? ''));
    const t0 = Date.now();
    tmux.keys('q');
    // The export waits up to 60 s (timeout above): an exit well before that is the bound's.
    expect(await until('the exit code', () => exitCode(done), 40_000)).toBe('0');
    expect(Date.now() - t0).toBeLessThan(30_000);
  });
});
