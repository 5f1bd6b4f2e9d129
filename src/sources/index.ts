import type { SourceConfig } from './config.js';
import type { Source } from '../runtime/types.js';
import { createDemoSource } from './demo.js';
import { createReplaySource } from './replay.js';
import { maskUrl } from '../config/mask.js';

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
    // The network sources load their code (node:http, https, crypto) when they run, not
    // before the console's first frame; their row (id, type, target) is known at once.
    case 'stalwart':
      return lazy(s.id, s.type, maskUrl(s.url), async () => (await import('../runtime/network.js')).createStalwartSource(s));
    case 'webhook':
      return lazy(s.id, s.type, `${s.listen}${s.path}`, async () => (await import('../runtime/network.js')).createWebhookIntake(s));
  }
}

function lazy(id: string, type: string, target: string, load: () => Promise<Source>): Source {
  return { id, type, target, run: async (ctx) => (await load()).run(ctx) };
}
