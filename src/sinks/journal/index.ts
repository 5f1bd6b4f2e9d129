import type { SinkKind } from '../kind.js';
import { tracerPolicy } from '../policy.js';
import { readJournalTracer, type JournalTracerConfig } from './config.js';
import { createJournalSink } from './sink.js';

/** systemd-journald (docs/stalwart.md §1c) over its native datagram protocol. One may exist. */
export const journalKind: SinkKind<JournalTracerConfig> = {
  name: 'journal',
  section: 'tracer',
  aliases: ['journal'],
  label: 'journal tracer',
  single: true,
  read: readJournalTracer,
  build: async (cfg) => createJournalSink({ id: cfg.id, socket: cfg.socket, identifier: cfg.identifier }),
  describe: (t) => ({ target: t.socket, extra: [`identifier ${t.identifier}`] }),
  policy: (cfg) => tracerPolicy(cfg),
};
