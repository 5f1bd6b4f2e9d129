import { readTracerCommon, type ReadContext, type TracerConfig } from '../../config/sinks.js';
import type { Reader } from '../../config/reader.js';

/** `tracer.<id>` with `type = "journal"` (§1c): only the keys every tracer has. */
export interface JournalTracerConfig extends TracerConfig {
  type: 'journal';
}

export function readJournalTracer(r: Reader, ctx: ReadContext): JournalTracerConfig {
  return { ...readTracerCommon(r, ctx, 'journal'), type: 'journal' };
}
