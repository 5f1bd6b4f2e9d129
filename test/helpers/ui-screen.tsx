/**
 * The console screen under test: the real App (ink-testing-library) over a real runtime that
 * replayed test/fixtures/replay/small.ndjson. Used by the screen tests in test/ui/.
 */
import { expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { render } from 'ink-testing-library';
import { parseConfig } from '../../src/load-config.js';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { App, type AppProps } from '../../src/ui/App.js';
import { stripSgr } from '../../src/ui/text/styled.js';
import { loadTheme } from '../../src/ui/theme.js';
import { FakeTerminal } from './fake-terminal.js';
import { waitFor } from './wait.js';

export const FIXTURE = fileURLToPath(new URL('../fixtures/replay/small.ndjson', import.meta.url));

/**
 * A real runtime over the replay fixture (50 events, 2 malformed lines) with two log sinks
 * in a temp dir, run to the end of the file. `extra` adds TOML (metrics, webhooks...).
 */
export async function replayRuntime(extra = '', fixture = FIXTURE): Promise<{ rt: Runtime; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mailtel-ui-'));
  const toml =
    `[source.fixture]\ntype = "replay"\npath = ${JSON.stringify(fixture)}\nspeed = 0\n\n` +
    `[tracer.log]\ntype = "log"\nlevel = "trace"\npath = ${JSON.stringify(join(dir, 'all'))}\n\n` +
    `[tracer.warnings]\ntype = "log"\nlevel = "warn"\npath = ${JSON.stringify(join(dir, 'warn'))}\n\n` +
    extra;
  const rt = await createRuntime(parseConfig(toml, 'ui-test.toml'), { historySize: 10_000, captureConsole: true });
  await rt.start();
  await waitFor(() => rt.snapshot().sources[0]?.state === 'finished', 5000, 'the replay to finish');
  await rt.idle();
  return { rt, dir };
}

export interface Screen {
  /** The last frame as plain text lines. */
  lines(): string[];
  text(): string;
  raw(): string;
  press(input: string): Promise<void>;
  /**
   * Waits until the frame satisfies `cond` (frames come at --fps) and returns it; on timeout
   * the error shows the frame as it was then.
   */
  waitForFrame(cond: (text: string) => boolean, what: string, timeoutMs?: number): Promise<string>;
  terminal: FakeTerminal;
  unmount(): void;
  quits: number;
}

export function screen(rt: Runtime, opts: { cols?: number; rows?: number; theme?: string } & Partial<AppProps> = {}): Screen {
  const terminal = new FakeTerminal(opts.cols ?? 100, opts.rows ?? 30);
  const s = { quits: 0 } as Screen;
  const app = render(
    <App
      runtime={rt}
      theme={loadTheme(opts.theme ?? 'dark', {})}
      fps={opts.fps ?? 50}
      historySize={opts.historySize ?? 10_000}
      terminal={terminal}
      onQuit={() => s.quits++}
      bytesPerSecond={opts.bytesPerSecond}
      marks={opts.marks}
      initial={opts.initial}
    />,
  );
  // ink-testing-library's stdout is 100 columns wide; Ink lays the root out at its width.
  Object.defineProperty(app.stdout, 'columns', { get: () => terminal.columns });
  const raw = () => app.lastFrame() ?? '';
  const text = () => stripSgr(raw());
  return Object.assign(s, {
    terminal,
    raw,
    text,
    lines: () => text().split('\n'),
    press: async (input: string) => {
      app.stdin.write(input);
      await new Promise((r) => setTimeout(r, 5));
    },
    waitForFrame: async (cond: (t: string) => boolean, what: string, timeoutMs = 5000) => {
      try {
        await waitFor(() => cond(text()), timeoutMs, what);
      } catch (e) {
        throw new Error(`${(e as Error).message}; last frame:\n${text()}`);
      }
      return text();
    },
    unmount: () => app.unmount(),
  });
}

/** The screen row that starts with the sink's number and id, split into columns. */
export function sinkRow(lines: string[], n: number, id: string): string[] {
  const row = lines.find((l) => new RegExp(`^\\s*${n} ${id}\\b`).test(l));
  if (!row) throw new Error(`no row for sink ${n} ${id} in:\n${lines.join('\n')}`);
  return row.trim().split(/\s+/);
}

/** The screen is exactly `rows` lines, none wider than `cols` (no wrapping, fixed height). */
export function expectShape(sc: Screen, cols: number, rows: number): void {
  const lines = sc.lines();
  expect(lines).toHaveLength(rows);
  for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(cols);
}
