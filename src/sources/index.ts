import type { SourceConfig } from './config.js';
import type { Source } from '../runtime/types.js';
import { createDemoSource } from './demo.js';
import { createReplaySource } from './replay.js';
import { createStalwartSource } from './stalwart/index.js';
import { createWebhookIntake } from './webhook-intake/index.js';

/**
 * Why a configured source cannot run in this build, or undefined when it can. The loader turns
 * this into a `check` warning on the source's line, the runtime into a failing row with the
 * reason. A source type that gets built removes its line here.
 */
export function unavailableSource(_s: SourceConfig): string | undefined {
  // Every source type is built now; one that cannot run here (platform, build) says why here.
  return undefined;
}

export function createSource(s: SourceConfig): Source {
  switch (s.type) {
    case 'demo':
      return createDemoSource(s);
    case 'replay':
      return createReplaySource(s);
    case 'stalwart':
      return createStalwartSource(s);
    case 'webhook':
      return createWebhookIntake(s);
  }
}
