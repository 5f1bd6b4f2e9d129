import type { SourceConfig } from './config.js';
import type { Source } from '../runtime/types.js';
import { createDemoSource } from './demo.js';
import { createReplaySource } from './replay.js';
import { createStalwartSource } from './stalwart/index.js';
import { createWebhookIntake } from './webhook-intake/index.js';

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
