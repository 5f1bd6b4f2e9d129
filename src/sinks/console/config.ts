import { readTracerCommon, type ReadContext, type TracerConfig } from '../../config/sinks.js';
import type { Reader } from '../../config/reader.js';

/** `tracer.<id>` with `type = "console"` (also `stdout`, `stderr`) (docs/stalwart.md §1b). */
export interface ConsoleTracerConfig extends TracerConfig {
  type: 'console';
  ansi: boolean;
  multiline: boolean;
  buffered: boolean;
}

export const CONSOLE_DEFAULTS = { ansi: true, multiline: false, buffered: true } as const;

/** Colours unless NO_COLOR is set (no-color.org): an `ansi` key in the file still wins. */
export function ansiDefault(env: NodeJS.ProcessEnv = process.env): boolean {
  return CONSOLE_DEFAULTS.ansi && !env.NO_COLOR;
}

export function readConsoleTracer(r: Reader, ctx: ReadContext): ConsoleTracerConfig {
  const base = ctx.base;
  return {
    ...readTracerCommon(r, ctx, 'console'),
    type: 'console',
    ansi: r.bool([...base, 'ansi'], ansiDefault()),
    multiline: r.bool([...base, 'multiline'], CONSOLE_DEFAULTS.multiline),
    buffered: r.bool([...base, 'buffered'], CONSOLE_DEFAULTS.buffered),
  };
}

/** Stalwart's fallback when the file defines no tracer and no webhook (docs/stalwart.md §1): console at info. */
export function implicitConsoleTracer(file: string, queueSize: number): ConsoleTracerConfig {
  return {
    id: 'default',
    type: 'console',
    enable: true,
    level: 'info',
    lossy: false,
    events: { policy: 'exclude', patterns: [] },
    queueSize,
    place: { file, line: 0, col: 0, key: 'tracer.default' },
    implicit: true,
    ...CONSOLE_DEFAULTS,
    ansi: ansiDefault(),
  };
}
