import { execFileSync } from 'node:child_process';

/**
 * Drives a real terminal: a tmux server on a private socket, one session of a fixed size.
 * tmux is required; without it the console end-to-end test fails with this message.
 */
export function requireTmux(): void {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'pipe' });
  } catch {
    throw new Error('tmux is not installed: the console end-to-end test needs it (apt-get install -y tmux)');
  }
}

export class Tmux {
  private readonly socket = `mailtel-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  readonly session = 'console';

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** Starts `command` (a shell line) in a cols x rows terminal. */
  start(command: string, cols: number, rows: number, env: Record<string, string> = {}): void {
    const exports = Object.entries(env).map(([k, v]) => `export ${k}=${JSON.stringify(v)};`).join(' ');
    this.tmux('-f', '/dev/null', 'new-session', '-d', '-s', this.session, '-x', String(cols), '-y', String(rows), `${exports} ${command}`);
  }

  /** What a person sees now, one string per row. */
  screen(): string[] {
    return this.tmux('capture-pane', '-p', '-t', this.session).split('\n');
  }

  resize(cols: number, rows: number): void {
    this.tmux('resize-window', '-t', this.session, '-x', String(cols), '-y', String(rows));
  }

  /** Writes `text` to the terminal as typed, control characters included (one write: many keys in one read). */
  type(text: string): void {
    this.tmux('send-keys', '-l', '-t', this.session, text);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.session, ...keys);
  }

  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}
