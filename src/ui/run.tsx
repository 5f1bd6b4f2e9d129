import { EventEmitter } from 'node:events';
import { render } from 'ink';
import type { RuntimeApi } from '../runtime/types.js';
import { App, type QuitController } from './App.js';
import { TerminalWriter } from './terminal/writer.js';
import { loadTheme, type Theme } from './theme.js';
import type { ConsoleMarks } from './use-mail.js';

export interface ConsoleOptions {
  fps: number;
  /** A built-in theme name, a file in themes/, or a path (see loadTheme); or the theme loaded. */
  theme: string | Theme;
  historySize: number;
  /** Read-only mode, the host name and the config's banner for the header. */
  marks?: ConsoleMarks;
  /** How long quitting may flush the sinks (`--stop-timeout`, default 10 s). */
  stopTimeoutMs?: number;
  /** Duration of every sampled frame, ms, and the bytes a full redraw would take (bench/render.mjs). */
  onFrame?: (ms: number, fullBytes: number) => void;
}

export interface ConsoleIo {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** What Ink writes to: it hands each frame over as text, and reports the real size. */
class FrameStream extends EventEmitter {
  constructor(
    private readonly tty: NodeJS.WriteStream,
    private readonly writer: TerminalWriter,
  ) {
    super();
  }
  get columns(): number {
    return this.tty.columns || 80;
  }
  get rows(): number {
    return this.tty.rows || 24;
  }
  /** When the current timed frame started (0: none), and who wants its duration. */
  tickAt = 0;
  onFrame?: (ms: number, fullBytes: number) => void;

  write(frame: string): boolean {
    this.writer.frame(frame);
    if (this.tickAt && this.onFrame) this.onFrame(performance.now() - this.tickAt, Buffer.byteLength(frame));
    this.tickAt = 0;
    return true;
  }
}

const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;

/**
 * The full-screen console over a started runtime, on the alternate screen. An unknown theme
 * throws before the screen opens (after stopping the runtime); cli.ts can check `--theme`
 * earlier with `loadTheme` from ./theme.js. Resolves after the
 * user quit (q, Ctrl-C, or SIGTERM/SIGHUP/SIGINT) and `runtime.stop()` flushed every sink;
 * the terminal is restored in every case, also when rendering failed (the error is rethrown
 * after the runtime stopped).
 */
export async function runConsole(runtime: RuntimeApi, opts: ConsoleOptions, io: ConsoleIo = {}): Promise<'stopped' | 'forced'> {
  let theme;
  try {
    theme = typeof opts.theme === 'string' ? loadTheme(opts.theme) : opts.theme;
  } catch (err) {
    await runtime.stop(); // the runtime is already running: flush it before reporting
    throw err;
  }
  const stdout = io.stdout ?? process.stdout;
  const stdin = io.stdin ?? process.stdin;
  const writer = new TerminalWriter(
    {
      write: (s: string) => {
        try {
          return stdout.write(s);
        } catch {
          return false; // the terminal went away (SSH dropped): keep flushing the sinks
        }
      },
    },
    () => stdout.rows || 24,
  );
  const frames = new FrameStream(stdout, writer);
  frames.onFrame = opts.onFrame;
  const onTick = opts.onFrame ? () => void (frames.tickAt = performance.now()) : undefined;
  const ignoreEpipe = () => {};
  stdout.on('error', ignoreEpipe);
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    writer.leave();
  };
  process.once('exit', restore);
  writer.enter();
  const onResize = () => {
    writer.invalidate();
    frames.emit('resize');
  };
  stdout.on('resize', onResize);

  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= runtime.stop(opts.stopTimeoutMs ?? 10_000));
  let quitRequested!: () => void;
  const quit = new Promise<void>((resolve) => (quitRequested = resolve));
  // A second q, Ctrl-C or signal while the sinks flush: leave at once, as headless does.
  let forceRequested!: () => void;
  const forced = new Promise<'forced'>((resolve) => (forceRequested = () => resolve('forced')));
  let quitting = false;
  const controller: QuitController = {};
  const onSignal = () => {
    if (quitting) return forceRequested();
    return controller.request ? controller.request() : quitRequested();
  };
  for (const s of SIGNALS) process.on(s, onSignal);

  // The metrics overlay's "since the console opened" view counts from here.
  runtime.markMetrics();
  const instance = render(
    <App
      runtime={runtime}
      theme={theme}
      fps={opts.fps}
      historySize={opts.historySize}
      onTick={onTick}
      terminal={frames}
      bytesPerSecond={() => writer.bytesPerSecond()}
      controller={controller}
      marks={opts.marks}
      onQuit={() => {
        quitting = true;
        quitRequested();
      }}
      onForceQuit={() => forceRequested()}
    />,
    {
      stdout: frames as unknown as NodeJS.WriteStream,
      stdin,
      stderr: process.stderr,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    },
  );
  let failure: unknown;
  let end: 'stopped' | 'forced' = 'stopped';
  try {
    // The quit frame ("stopping: flushing sinks…") stays up while the sinks flush.
    end = (await Promise.race([quit.then(stop), instance.waitUntilExit(), forced])) === 'forced' ? 'forced' : 'stopped';
  } catch (err) {
    failure = err;
  } finally {
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
    for (const s of SIGNALS) process.off(s, onSignal);
    stdout.off('resize', onResize);
    restore();
    process.off('exit', restore);
    stdout.off('error', ignoreEpipe);
  }
  if (end === 'forced') return end;
  await Promise.race([stop(), forced]);
  if (failure) throw failure;
  return end;
}
