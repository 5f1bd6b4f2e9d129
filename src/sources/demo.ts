import type { DemoSourceConfig } from '../config/types.js';
import type { Source } from '../runtime/types.js';

// STUB: replaced by the demo source implementation.
export function createDemoSource(cfg: DemoSourceConfig): Source {
  throw new Error(`demo source not implemented (${cfg.id})`);
}
