import { OWN_ERROR_EVENT } from '../catalogue/index.js';
import type { TracerConfig } from '../config/sinks.js';
import { DEFAULT_BATCH, type SinkPolicy } from './kind.js';

/**
 * The subscriber policy of a tracer: its level, lossy and queue size, batches of `batchSize`,
 * and when `throttleMs` is set everything pending goes at each window, as Stalwart does.
 */
export function tracerPolicy(cfg: TracerConfig, over: { batchSize?: number; throttleMs?: number } = {}): SinkPolicy {
  const throttleMs = over.throttleMs ?? 0;
  return {
    idPrefix: 't_',
    level: cfg.level,
    batchSize: throttleMs > 0 ? cfg.queueSize : (over.batchSize ?? DEFAULT_BATCH),
    throttleMs,
    discardAfterMs: 0,
    lossy: cfg.lossy,
    queueSize: cfg.queueSize,
    errorEvent: OWN_ERROR_EVENT[cfg.type],
  };
}
