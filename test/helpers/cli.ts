import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${ROOT}bin/mailtel.js`;

export interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** The exit code; null when a signal ended the process (see `how()`). */
  exit: Promise<number | null>;
  /** How the process ended, with its stderr: for assertion messages. */
  how: () => string;
}

/** Starts the built `mailtel` command (npm test builds dist/ first). */
export function runMailtel(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  let ended = 'still running';
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      ended = signal ? `killed by ${signal}` : `exit code ${code}`;
      resolve(code);
    }),
  );
  return { child, stdout: () => out, stderr: () => err, exit, how: () => `${ended}; stderr:\n${err}` };
}

/** JSON status lines printed by `--headless --status-json`. */
export function statusLines(out: string): any[] {
  return out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
}

