import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { requireTmux, Tmux } from './tmux.js';

// The real `mailtel` command in a real terminal (tmux): the demo source into a log sink; the key
// that disables the sink stops both the screen's numbers and the file, and enabling it again
// makes the file grow again. Then q stops with the graceful flush and restores the terminal.

let dir: string;
let tmux: Tmux;
beforeAll(() => {
  requireTmux();
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test builds first)');
  dir = mkdtempSync(join(tmpdir(), 'mailtel-console-e2e-'));
});
beforeEach(() => {
  tmux = new Tmux();
});
afterEach(() => tmux?.kill());
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const logSize = (logs: string) => (existsSync(logs) ? readdirSync(logs).reduce((n, f) => n + statSync(join(logs, f)).size, 0) : 0);

/** waitFor with the screen at the timeout in its error; polls tmux every 50 ms. */
function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  return waitFor(get, timeoutMs, () => `${what}; screen:\n${tmux.screen().join('\n')}`, 50);
}

/** Waits until `get` returns the same value for 600 ms. */
async function settled<T>(what: string, get: () => T): Promise<void> {
  let last = get();
  let since = Date.now();
  await until(`${what} to settle`, () => {
    const now = get();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return Date.now() - since >= 600;
  });
}

const sinkRow = () => tmux.screen().find((l) => /^\s*1 log\s/.test(l));

describe('console in a terminal', () => {
  it('the digit of the log sink stops the file and the screen shows it off; again restarts both; q flushes and exits 0', async () => {
    const logs = join(dir, 'logs');
    const cfg = join(dir, 'mailtel.toml');
    writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 300\nseed = 7\n\n[tracer.log]\ntype = "log"\nlevel = "trace"\npath = ${JSON.stringify(logs)}\n`);
    const done = join(dir, 'exit-code');
    tmux.start(`cd ${JSON.stringify(ROOT)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --config ${JSON.stringify(cfg)} --fps 10; echo $? > ${JSON.stringify(done)}; sleep 60`, 100, 30, { TERM: 'xterm-256color' });

    await until('the log sink row on', () => /\bon\s+ok\b/.test(sinkRow() ?? ''));
    expect(tmux.screen()[0]).toMatch(/^ mailtel /);
    await until('the log file to grow', () => logSize(logs) > 2000);

    tmux.keys('1');
    await until('the log sink row off', () => /\boff\s+disabled\b/.test(sinkRow() ?? ''));
    // What was queued before the key is still delivered: wait for the counter and the file to settle.
    const written = () => (sinkRow() ?? '').trim().split(/\s+/)[6];
    await settled('the written count', written);
    await settled('the log file size', () => logSize(logs));
    const stopped = logSize(logs);
    const writtenOff = written();
    // The header groups thousands (`events 5,334`).
    const seen = () => Number((/events ([\d,]+)/.exec(tmux.screen()[0] ?? '')?.[1] ?? '0').replace(/,/g, ''));
    const before = seen();
    await until('300 more events while the sink is off', () => seen() >= before + 300);
    expect(logSize(logs)).toBe(stopped);
    expect(written()).toBe(writtenOff);
    expect(seen()).toBeGreaterThan(0);
    expect(tmux.screen().join('\n')).toContain('toggled sink log');

    tmux.keys('1');
    await until('the log sink row on again', () => /\bon\s+ok\b/.test(sinkRow() ?? ''));
    await until('the log file to grow again', () => logSize(logs) > stopped + 2000);

    tmux.keys('q');
    await until('the exit code', () => existsSync(done) && readFileSync(done, 'utf8').trim(), 20_000);
    expect(readFileSync(done, 'utf8').trim()).toBe('0');
    // The alternate screen is gone and the file ends with a whole line (flushed, not cut).
    expect(tmux.screen().some((l) => l.includes(' Sinks '))).toBe(false);
    const files = readdirSync(logs);
    expect(readFileSync(join(logs, files.sort().at(-1)!), 'utf8').endsWith('\n')).toBe(true);
  });

  it('a screen drawn frame by frame, scrolling the event stream, equals a full redraw of the same frame', async () => {
    const cfg = join(dir, 'slow.toml');
    writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 25\nseed = 11\n\n[tracer.log]\ntype = "log"\nlevel = "info"\npath = ${JSON.stringify(join(dir, 'slow-logs'))}\n`);
    tmux.start(`cd ${JSON.stringify(ROOT)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --config ${JSON.stringify(cfg)} --fps 10; sleep 60`, 100, 30, { TERM: 'xterm-256color' });
    const eventRows = () => tmux.screen().filter((l) => /^\d\d:\d\d:\d\d (TRACE|DEBUG|INFO |WARN |ERROR) /.test(l));
    // A few events per frame: the writer scrolls the block and writes only the new lines.
    await until('the events pane to fill and scroll', () => eventRows().length >= 12 && Number((/events ([\d,]+)/.exec(tmux.screen()[0] ?? '')?.[1] ?? '0').replace(/,/g, '')) > 120);
    tmux.keys('s');
    await until('the frozen pane', () => tmux.screen().some((l) => l.includes('FROZEN')));
    await settled('the frozen rows', () => eventRows().join('\n'));
    const drawn = eventRows();
    const times = drawn.map((l) => l.slice(0, 8));
    expect([...times].sort()).toEqual(times);
    // A resize clears the terminal and repaints every line from scratch.
    tmux.resize(90, 30);
    await until('the narrow repaint', () => (tmux.screen()[2] ?? '').length <= 90 && eventRows().length > 0 && eventRows()[0]!.length <= 90);
    tmux.resize(100, 30);
    // (some row is wider than 90: a short event such as delivery.completed may be the first)
    await until('the full-width repaint', () => eventRows().some((r) => r.length > 90));
    await settled('the repainted rows', () => eventRows().join('\n'));
    expect(eventRows()).toEqual(drawn);
  });
});
