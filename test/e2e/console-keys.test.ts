import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { requireTmux, Tmux } from './tmux.js';

// Keys that arrive in one read (paste, key repeat, a laggy SSH link, `tmux send-keys jjj`) are
// each applied, in order, by the real screen.
let dir: string;
let tmux: Tmux;
beforeAll(() => {
  requireTmux();
  dir = mkdtempSync(join(tmpdir(), 'mailtel-keys-e2e-'));
});
beforeEach(() => {
  tmux = new Tmux();
});
afterEach(() => tmux?.kill());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  return waitFor(get, timeoutMs, () => `${what}; screen:\n${tmux.screen().join('\n')}`, 50);
}

function start(): string {
  const cfg = join(dir, 'm.toml');
  writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 50\nseed = 4\n\n[tracer.log]\ntype = "log"\nlevel = "info"\npath = ${JSON.stringify(join(dir, 'logs'))}\n`);
  const done = join(dir, `exit-${Math.random().toString(36).slice(2)}`);
  tmux.start(`cd ${JSON.stringify(ROOT)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --config ${JSON.stringify(cfg)}; echo $? > ${JSON.stringify(done)}; sleep 60`, 100, 30, { TERM: 'xterm-256color' });
  return done;
}

describe('many keys in one read', () => {
  it('jjj scrolls the metrics view three lines', async () => {
    start();
    await until('the screen', () => /^ mailtel /.test(tmux.screen()[0] ?? ''));
    tmux.keys('M');
    const first = () => Number(/ lines (\d+)-\d+ of \d+/.exec(tmux.screen().join('\n'))?.[1]);
    // room to scroll three lines: under load the demo may not have filled the view yet
    const room = () => {
      const m = / lines (\d+)-(\d+) of (\d+)/.exec(tmux.screen().join('\n'));
      return m ? Number(m[3]) - Number(m[2]) : 0;
    };
    await until('the metrics view at its top, with room to scroll', () => first() === 1 && room() >= 5, 30_000);
    tmux.type('jjj');
    await until('the view three lines further', () => first() === 4);
    tmux.type('jk');
    await until('down one and up one', () => first() === 4 && tmux.screen().some((l) => l.includes('lines 4-')));
  });

  it('/auth + Enter in one read commits the filter; Ctrl-U + Enter in one read clears it; later keys are commands', async () => {
    const done = start();
    await until('the screen', () => /^ mailtel /.test(tmux.screen()[0] ?? ''));
    tmux.type('/auth\r');
    await until('the committed filter', () => tmux.screen().some((l) => l.includes('filter: auth')) && !tmux.screen().some((l) => l.includes('Enter keep')));
    tmux.type('/\x15\r');
    await until('the filter cleared and closed', () => !tmux.screen().some((l) => l.includes('filter:') || l.includes('Enter keep')));
    tmux.type('q');
    await until('the exit', () => existsSync(done) && readFileSync(done, 'utf8').trim() === '0', 20_000);
  });
});
