import type { LogTracerConfig } from '../../config/types.js';
import type { Sink } from '../../runtime/types.js';

// STUB: replaced by the log sink implementation.
export function createLogSink(cfg: LogTracerConfig): Sink {
  throw new Error(`log sink not implemented (${cfg.id})`);
}
