import { readTracerCommon, type ReadContext, type TracerConfig } from '../../config/sinks.js';
import type { Reader } from '../../config/reader.js';
import { journalProblem } from './availability.js';
import { SYSTEM_JOURNAL_SOCKET } from './socket.js';

/** `tracer.<id>` with `type = "journal"` (docs/stalwart.md §1c). */
export interface JournalTracerConfig extends TracerConfig {
  type: 'journal';
  /** journald's native socket (mailtel key; Stalwart always uses the system one). */
  socket: string;
  /** SYSLOG_IDENTIFIER (mailtel key; Stalwart uses its executable's file name). */
  identifier: string;
}

export const JOURNAL_DEFAULTS = { socket: SYSTEM_JOURNAL_SOCKET, identifier: 'stalwart' } as const;

/**
 * Reads `socket` and `identifier`. An enabled tracer whose socket cannot work here (not Linux,
 * koffi missing, nothing at the path, not a socket) is kept, with a warning at `socket` (or at
 * `type` when the default is used): the sink then fails with the same reason in its row.
 */
export function readJournalTracer(r: Reader, ctx: ReadContext): JournalTracerConfig {
  const base = ctx.base;
  const cfg: JournalTracerConfig = {
    ...readTracerCommon(r, ctx, 'journal'),
    type: 'journal',
    socket: nonEmpty(r, [...base, 'socket'], 'the journal socket path') ?? JOURNAL_DEFAULTS.socket,
    identifier: nonEmpty(r, [...base, 'identifier'], 'the syslog identifier') ?? JOURNAL_DEFAULTS.identifier,
  };
  if (cfg.enable) {
    const problem = journalProblem(cfg.socket);
    if (problem !== undefined) r.warn(r.get([...base, 'socket']) ?? ctx.anchor, problem);
  }
  return cfg;
}

function nonEmpty(r: Reader, path: string[], what: string): string | undefined {
  const v = r.string(path);
  if (v === '') {
    r.warn(r.get(path)!, `${what} is empty; the default is used`);
    return undefined;
  }
  return v;
}
