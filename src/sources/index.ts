import type { SourceConfig } from '../config/types.js';
import type { Source } from '../runtime/types.js';
import { createDemoSource } from './demo.js';
import { createReplaySource } from './replay.js';

/**
 * Why a configured source cannot run in this build, or undefined when it can. The loader turns
 * this into a `check` warning on the source's line, the runtime into a failing row with the
 * reason. A source type that gets built removes its line here.
 */
export function unavailableSource(s: SourceConfig): string | undefined {
  switch (s.type) {
    case 'demo':
    case 'replay':
      return undefined;
    default:
      return `source type "${s.type}" is not built yet; it produces no events`;
  }
}

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
