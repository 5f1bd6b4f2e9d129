import { hostname } from 'node:os';
// check, generate and headless are small and load with the entry: as lazy imports each made
// esbuild split the code they share with the console into its own chunk, and every extra file
// costs the console's start more than parsing them does (20 files before the first frame, now 10).
import { renderCheck } from './check.js';
import { generate } from './generate.js';
import { runHeadless } from './headless.js';
import { parseArgs, USAGE } from './cli-args.js';
import { loadConfig } from './load-config.js';
import { ConfigError } from './config/types.js';
import { createRuntime, VERSION } from './runtime/runtime.js';
import { takeSignals } from './signals.js';
import { loadTheme } from './ui/theme.js';

async function main(argv: string[]): Promise<number> {
  // Before anything starts: a SIGTERM during start-up is a clean stop, not death by signal.
  const signals = takeSignals();
  const args = parseArgs(argv);
  if (typeof args === 'string' || args.command !== 'run') {
    signals.release();
    if (signals.received.length) return 130;
  }
  if (typeof args === 'string') {
    process.stderr.write(`mailtel: ${args}\n${USAGE}\n`);
    return 2;
  }
  if (args.command === 'help') {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (args.command === 'version') {
    process.stdout.write(`mailtel ${VERSION}\n`);
    return 0;
  }
  if (args.command === 'generate') {
    await generate(args.generate, process.stdout);
    return 0;
  }
  // The screen's code (Ink, React, yoga) is the bulk of start-up: start loading it at once.
  const screen = args.command === 'run' && !args.headless && process.stdin.isTTY && process.stdout.isTTY;
  const ui = screen ? importScreen() : undefined;
  let theme;
  if (screen) {
    try {
      theme = loadTheme(args.theme);
    } catch (err) {
      process.stderr.write(`mailtel: ${err instanceof Error ? err.message : String(err)}\n`);
      return 2;
    }
  }
  let config;
  try {
    config = loadConfig({ file: args.config, cwd: process.cwd() });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nmailtel: the configuration has errors; nothing was started\n`);
      return 1;
    }
    throw err;
  }
  if (args.command === 'check') {
    process.stdout.write(renderCheck(config));
    return 0;
  }
  if (args.headless) {
    const rt = await createRuntime(config, { historySize: 0, ...(args.record ? { record: args.record } : {}) });
    return runHeadless(rt, args, signals);
  }
  if (!ui) {
    process.stderr.write('mailtel: the console needs a terminal (stdin and stdout must be a TTY); use --headless to run without a screen\n');
    return 2;
  }
  const rt = await createRuntime(config, { historySize: args.history, captureConsole: true, ...(args.record ? { record: args.record } : {}) });
  const [{ runConsole }] = await Promise.all([ui, rt.start()]);
  if (signals.received.length) {
    // Stopped before the screen opened: flush and go, as headless does.
    await rt.stop(args.stopTimeoutMs);
    return 0;
  }
  signals.release();
  const marks = { readOnly: args.readOnly, host: hostname(), banner: config.console?.banner, bannerColor: config.console?.bannerColor };
  const end = await runConsole(rt, { fps: args.fps, theme: theme ?? args.theme, historySize: args.history, stopTimeoutMs: args.stopTimeoutMs, marks });
  if (end === 'forced') process.stderr.write('mailtel: quit without waiting for the sinks\n');
  return end === 'forced' ? 130 : 0;
}

/**
 * Loads the screen's code. yoga-layout's Emscripten loader fetches its inline wasm through
 * `fetch` when one exists, and the first touch of Node's `fetch` loads undici (~20 ms); with
 * `fetch` hidden for the duration of the import it decodes the inline wasm directly.
 */
function importScreen(): Promise<typeof import('./ui/run.js')> {
  const desc = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  Object.defineProperty(globalThis, 'fetch', { value: undefined, configurable: true, writable: true });
  return import('./ui/run.js').finally(() => {
    if (desc) Object.defineProperty(globalThis, 'fetch', desc);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    // Sockets an abandoned export still holds must not keep the process alive past shutdown.
    setTimeout(() => process.exit(code), 50).unref();
  },
  (err: unknown) => {
    process.stderr.write(`mailtel: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(70);
  },
);
