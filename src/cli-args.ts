/** Command-line arguments of `mailtel`, parsed without a library (start-up time matters). */
export interface CliArgs {
  command: 'run' | 'check' | 'generate' | 'help' | 'version';
  /** generate: how many events, seed, rate and start time. */
  generate: { events: number; seed: number; rate: number; start: number };
  config?: string;
  headless: boolean;
  statusJson: boolean;
  /** Between headless status lines, ms (`--status-interval` is given in seconds). */
  statusIntervalMs: number;
  /** Headless: exit once every source has finished and every sink is idle. */
  untilDone: boolean;
  history: number;
  fps: number;
  theme: string;
  /** Shutdown flush budget, ms (`--stop-timeout` is given in ms). */
  stopTimeoutMs: number;
  /** Console: sink toggles, push now and flush disabled; the header says READ-ONLY. */
  readOnly: boolean;
  /** `--record FILE`: append every event to FILE as NDJSON the replay source reads. */
  record?: string;
}

export const USAGE = `usage: mailtel [options]         open the console on the configured pipeline
       mailtel check [--config F] print the resolved pipeline; exit 1 on errors
       mailtel generate [--events N] [--seed S] [--rate R] [--start ISO]
                                  write demo traffic as webhook-shaped NDJSON

options:
  --config FILE        config file (default ./mailtel.toml, else the demo)
  --headless           run without a screen; status lines on stderr
  --status-json        with --headless: one JSON status per line on stdout
  --status-interval S  seconds between status lines (default 5)
  --until-done         with --headless: exit when every source has finished and
                       the sinks are idle
  --history N          events kept for scrollback (default 10000)
  --fps N              console frames per second (default 10)
  --theme NAME         dark (default), light, high-contrast, mono, or a theme
                       file (NO_COLOR gives mono)
  --stop-timeout MS    how long shutdown may flush sinks (default 10000)
  --read-only          console: no sink toggles, push now or flush (look at a
                       production relay safely)
  --record FILE        append every event, from every source, to FILE as NDJSON
                       (replayable)
  -h, --help           this text
  -v, --version        the version`;

export function parseArgs(argv: string[]): CliArgs | string {
  const a: CliArgs = {
    command: 'run',
    headless: false,
    statusJson: false,
    statusIntervalMs: 5_000,
    untilDone: false,
    history: 10_000,
    fps: 10,
    theme: process.env.NO_COLOR ? 'mono' : 'default',
    stopTimeoutMs: 10_000,
    readOnly: false,
    generate: { events: 1000, seed: 1, rate: 1000, start: Date.parse('2025-06-15T18:00:00Z') },
  };
  const rest = [...argv];
  if (rest[0] === 'check' || rest[0] === 'generate') {
    a.command = rest[0];
    rest.shift();
  }
  const num = (flag: string, v: string | undefined, min: number, max: number): number | string => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < min || n > max) return `${flag} takes a number from ${min} to ${max}, got ${v ?? 'nothing'}`;
    return n;
  };
  while (rest.length > 0) {
    const arg = rest.shift()!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? rest.shift();
    let n: number | string;
    switch (flag) {
      case '--config':
      case '-c': {
        const v = value();
        if (!v) return `${flag} needs a file name`;
        a.config = v;
        break;
      }
      case '--record': {
        const v = value();
        if (!v) return '--record needs a file name';
        a.record = v;
        break;
      }
      case '--headless':
        a.headless = true;
        break;
      case '--status-json':
        a.statusJson = true;
        break;
      case '--until-done':
        a.untilDone = true;
        break;
      case '--read-only':
        a.readOnly = true;
        break;
      case '--status-interval':
        if (typeof (n = num(flag, value(), 0.1, 3600)) === 'string') return n;
        a.statusIntervalMs = Math.round(n * 1000);
        break;
      case '--history':
        if (typeof (n = num(flag, value(), 0, 10_000_000)) === 'string') return n;
        a.history = Math.floor(n);
        break;
      case '--fps':
        if (typeof (n = num(flag, value(), 1, 60)) === 'string') return n;
        a.fps = n;
        break;
      case '--stop-timeout':
        if (typeof (n = num(flag, value(), 0, 600_000)) === 'string') return n;
        a.stopTimeoutMs = n;
        break;
      case '--events':
        if (typeof (n = num(flag, value(), 1, 1e9)) === 'string') return n;
        a.generate.events = Math.floor(n);
        break;
      case '--seed':
        if (typeof (n = num(flag, value(), 0, 2 ** 32 - 1)) === 'string') return n;
        a.generate.seed = Math.floor(n);
        break;
      case '--rate':
        if (typeof (n = num(flag, value(), 0.001, 1e7)) === 'string') return n;
        a.generate.rate = n;
        break;
      case '--start': {
        const v = value();
        const t = v === undefined ? NaN : Date.parse(v);
        if (Number.isNaN(t)) return `--start takes an ISO time such as 2025-06-15T18:00:00Z, got ${v ?? 'nothing'}`;
        a.generate.start = t;
        break;
      }
      case '--theme': {
        const v = value();
        if (!v) return '--theme needs a name';
        a.theme = v;
        break;
      }
      case '-h':
      case '--help':
        a.command = 'help';
        break;
      case '-v':
      case '--version':
        a.command = 'version';
        break;
      default:
        return `unknown argument ${arg}`;
    }
  }
  return a;
}
