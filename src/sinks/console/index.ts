import type { ConsoleTracerConfig } from '../../config/types.js';
import type { Sink } from '../../runtime/types.js';

// STUB: replaced by the console sink implementation.
export function createConsoleSink(cfg: ConsoleTracerConfig, _out: NodeJS.WritableStream): Sink {
  throw new Error(`console sink not implemented (${cfg.id})`);
}
