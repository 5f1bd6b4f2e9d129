import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runConsole } from '../../src/ui/run.js';
import { ENTER, LEAVE } from '../../src/ui/terminal/writer.js';
import { replayRuntime, until } from './ui-helpers.js';

class FakeTty extends EventEmitter {
  columns = 100;
  rows = 30;
  isTTY = true;
  out = '';
  write(s: string): boolean {
    this.out += s;
    return true;
  }
}
class FakeStdin extends EventEmitter {
  isTTY = true;
  data: string | null = null;
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    const d = this.data;
    this.data = null;
    return d;
  }
  type(s: string) {
    this.data = s;
    this.emit('readable');
    this.emit('data', s);
  }
}

describe('runConsole', () => {
  it('opens the alternate screen, draws, quits on q after the runtime stopped, and restores the terminal', async () => {
    const { rt } = await replayRuntime();
    const tty = new FakeTty();
    const stdin = new FakeStdin();
    const done = runConsole(rt, { fps: 20, theme: 'mono', historySize: 10_000 }, { stdin: stdin as never, stdout: tty as never });
    await until(() => tty.out.includes(' Sinks '), 'the first frame');
    expect(tty.out.startsWith(ENTER)).toBe(true);
    tty.columns = 80;
    tty.rows = 24;
    tty.emit('resize');
    await until(() => tty.out.lastIndexOf('\x1b[2J') > ENTER.length, 'the repaint after the resize');
    stdin.type('q');
    await done;
    expect(tty.out.endsWith(LEAVE)).toBe(true);
    expect(tty.out).toContain('stopping: flushing sinks…');
    expect(rt.snapshot().sinks.map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });

  it('starts the "since the console opened" metrics window when the screen opens', async () => {
    const { rt } = await replayRuntime();
    expect(rt.metricsSnapshot().counters.length).toBeGreaterThan(0);
    expect(rt.metricsSnapshot('since-mark').counters).toEqual(rt.metricsSnapshot().counters); // no mark yet
    const opening = Date.now();
    const tty = new FakeTty();
    const stdin = new FakeStdin();
    const done = runConsole(rt, { fps: 20, theme: 'mono', historySize: 10_000 }, { stdin: stdin as never, stdout: tty as never });
    await until(() => tty.out.includes(' Sinks '), 'the first frame');
    const since = rt.metricsSnapshot('since-mark');
    expect(since.since).toBeGreaterThanOrEqual(opening);
    expect(since.counters).toEqual([]);
    expect(rt.metricsSnapshot().since).toBeLessThan(opening);
    stdin.type('M');
    stdin.type('v');
    await until(() => tty.out.includes('no counted event since the console opened'), 'the since-opened metrics view');
    stdin.type('q');
    await done;
  });

  it('an unknown theme is reported before the screen opens, with the runtime stopped', async () => {
    const { rt } = await replayRuntime();
    const tty = new FakeTty();
    await expect(runConsole(rt, { fps: 10, theme: 'nope', historySize: 10 }, { stdin: new FakeStdin() as never, stdout: tty as never })).rejects.toThrow(/unknown theme "nope"/);
    expect(tty.out).toBe('');
    expect(rt.snapshot().sinks.map((s) => s.state)).toEqual(['stopped', 'stopped']);
  });
});
