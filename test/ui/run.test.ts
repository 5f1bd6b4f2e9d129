import { describe, expect, it } from 'vitest';
import { runConsole } from '../../src/ui/run.js';
import { ENTER, LEAVE } from '../../src/ui/terminal/writer.js';
import { FakeStdin, FakeTty } from '../helpers/fake-terminal.js';
import { replayRuntime } from '../helpers/ui-screen.js';
import { waitFor } from '../helpers/wait.js';

describe('runConsole', () => {
  it('opens the alternate screen, draws, quits on q after the runtime stopped, and restores the terminal', async () => {
    const { rt } = await replayRuntime();
    const tty = new FakeTty();
    const stdin = new FakeStdin();
    const done = runConsole(rt, { fps: 20, theme: 'mono', historySize: 10_000 }, { stdin: stdin as never, stdout: tty as never });
    await waitFor(() => tty.out.includes(' Sinks '), 5000, 'the first frame');
    expect(tty.out.startsWith(ENTER)).toBe(true);
    tty.columns = 80;
    tty.rows = 24;
    tty.emit('resize');
    await waitFor(() => tty.out.lastIndexOf('\x1b[2J') > ENTER.length, 5000, 'the repaint after the resize');
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
    await waitFor(() => tty.out.includes(' Sinks '), 5000, 'the first frame');
    const since = rt.metricsSnapshot('since-mark');
    expect(since.since).toBeGreaterThanOrEqual(opening);
    expect(since.counters).toEqual([]);
    expect(rt.metricsSnapshot().since).toBeLessThan(opening);
    stdin.type('M');
    stdin.type('v');
    await waitFor(() => tty.out.includes('no counted event since the console opened'), 5000, 'the since-opened metrics view');
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
