import type { SinkKind } from '../kind.js';
import { tracerPolicy } from '../policy.js';
import { readJournalTracer, type JournalTracerConfig } from './config.js';

/** systemd-journald (§1c). One may exist. Not built yet: its row fails with the reason. */
export const journalKind: SinkKind<JournalTracerConfig> = {
  name: 'journal',
  section: 'tracer',
  aliases: ['journal'],
  label: 'journal tracer',
  single: true,
  read: readJournalTracer,
  unavailable: () => 'the journal sink is not built yet',
  build: async () => {
    throw new Error('the journal sink is not built yet');
  },
  describe: () => ({ target: 'journald', extra: [] }),
  policy: (cfg) => tracerPolicy(cfg),
};
