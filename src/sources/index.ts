import type { SourceConfig } from '../config/types.js';
import type { Source } from '../runtime/types.js';
import { createDemoSource } from './demo.js';
import { createReplaySource } from './replay.js';

export function createSource(s: SourceConfig): Source {
  switch (s.type) {
    case 'demo':
      return createDemoSource(s);
    case 'replay':
      return createReplaySource(s);
    default:
      throw new Error(`source type "${s.type}" is not built yet`);
  }
}
