import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { mailFixture } from '../helpers/mail-fixture.js';
import { waitFor } from '../helpers/wait.js';
import { requireTmux, Tmux } from './tmux.js';

// The real `mailtel` in an 80x24 tmux terminal, replaying generated mail traffic: a trail opened
// from the events pane with `t`, and from the domains table (D, Enter, Enter).

let dir: string;
let fixture: string;
let tmux: Tmux;
beforeAll(async () => {
  requireTmux();
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test builds first)');
  dir = mkdtempSync(join(tmpdir(), 'mailtel-mail-e2e-'));
  fixture = await mailFixture();
});
afterEach(() => tmux?.kill());
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  return waitFor(get, timeoutMs, () => `${what}; screen:\n${tmux.screen().join('\n')}`, 50);
}
const text = () => tmux.screen().join('\n');

function start(): void {
  const cfg = join(dir, 'mailtel.toml');
  writeFileSync(cfg, `[source.capture]\ntype = "replay"\npath = ${JSON.stringify(fixture)}\nspeed = 0\n\n[tracer.log]\ntype = "log"\nlevel = "info"\npath = ${JSON.stringify(join(dir, 'logs'))}\n`);
  tmux = new Tmux();
  tmux.start(`cd ${JSON.stringify(ROOT)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --config ${JSON.stringify(cfg)} --fps 10; sleep 60`, 80, 24, { TERM: 'xterm-256color' });
}

describe('mail views in a terminal at 80x24', () => {
  it('t on a queued message in the events pane opens its trail; Enter a step, Esc back, Esc out', async () => {
    start();
    await until('the replay finished', () => /finished\s+events 3,000/.test(text()));
    tmux.keys('/');
    tmux.keys('-l', 'queue.queue-message');
    // Enter on its own read (a chunk of text with a CR in it is typed text today).
    await until('the filter typed', () => /Events\s+\d+ shown filter: queue\.queue-message /.test(text()));
    tmux.keys('Enter');
    await until('the filter kept', () => !text().includes('Enter keep'));
    await until('the filter applied', () => /filter: queue\.queue-message/.test(text()));
    tmux.keys('t');
    await until('the trail', () => text().includes('Trail of message') && text().includes('inbound session from'));
    const screen = tmux.screen();
    expect(screen[0]).toMatch(/^ mailtel /); // nothing scrolled: the header is still the top row
    for (const l of screen) expect([...l].length).toBeLessThanOrEqual(80);
    expect(text()).toMatch(/state (DELIVERED|DEFERRED|FAILED|PARTIAL|QUEUED)/);
    expect(text()).toContain('smtp.connection-start');
    tmux.keys('Enter');
    await until('the step detail', () => text().includes('Event smtp.connection-start') && text().includes('Keys ('));
    tmux.keys('Escape');
    await until('back on the trail', () => text().includes('Trail of message'));
    tmux.keys('Escape');
    await until('the events pane', () => /Events\s+\d+ shown/.test(text()));
  });

  it('D, Enter on a domain, Enter on a message: its trail with the delivery attempts', async () => {
    start();
    await until('the replay finished', () => /finished\s+events 3,000/.test(text()));
    tmux.keys('D');
    await until('the domains table', () => text().includes('Delivery health per destination domain') && /example\.(org|net)\s+\d+/.test(text()));
    tmux.keys('Enter');
    await until('the domain trails', () => /Recent trails to \S+/.test(text()) && /^\d{6,}\s+\w+/m.test(text()));
    tmux.keys('Enter');
    await until('the trail', () => text().includes('Trail of message') && /delivery attempt 1 · \S+/.test(text()));
    expect(tmux.screen()[0]).toMatch(/^ mailtel /);
    tmux.keys('q');
  });
});
