import type { ReplaySourceConfig } from '../config/types.js';
import type { Source } from '../runtime/types.js';

// STUB: replaced by the replay source implementation.
export function createReplaySource(cfg: ReplaySourceConfig): Source {
  throw new Error(`replay source not implemented (${cfg.id})`);
}
