import { renderCheck } from './check.js';
import { parseArgs, USAGE } from './cli-args.js';
import { loadConfig } from './config/load.js';
import { ConfigError } from './config/types.js';
import { runHeadless } from './headless.js';
import { createRuntime, VERSION } from './runtime/runtime.js';

async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
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
    const { generate } = await import('./generate.js');
    await generate(args.generate, process.stdout);
    return 0;
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
    const rt = await createRuntime(config, { historySize: Math.min(args.history, 1000) });
    return runHeadless(rt, args);
  }
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write('mailtel: the console needs a terminal (stdin and stdout must be a TTY); use --headless to run without a screen\n');
    return 2;
  }
  const rt = await createRuntime(config, { historySize: args.history, captureConsole: true });
  await rt.start();
  const { runConsole } = await import('./ui/run.js');
  await runConsole(rt, { fps: args.fps, theme: args.theme, historySize: args.history });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    if (code !== 0 || process.argv.includes('--headless')) setTimeout(() => process.exit(code), 50).unref();
  },
  (err: unknown) => {
    process.stderr.write(`mailtel: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(70);
  },
);
