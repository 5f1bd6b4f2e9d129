import type { SinkKind } from '../kind.js';
import { tracerPolicy } from '../policy.js';
import { readConsoleTracer, type ConsoleTracerConfig } from './config.js';
import { createConsoleSink } from './sink.js';

/** Lines a console write takes: small batches keep the screen's capture and stderr responsive. */
const CONSOLE_BATCH = 256;

/** The console (docs/stalwart.md §1b): the text line to stderr (a capture buffer under the screen). One may exist. */
export const consoleKind: SinkKind<ConsoleTracerConfig> = {
  name: 'console',
  section: 'tracer',
  aliases: ['console', 'stdout', 'stderr'],
  label: 'console tracer',
  single: true,
  read: readConsoleTracer,
  build: async (cfg, deps) => createConsoleSink(cfg, deps.consoleOut),
  describe: (t) => ({
    target: 'stderr',
    extra: [t.ansi ? 'ansi' : 'no ansi', t.multiline ? 'multi-line' : 'single-line', t.buffered ? 'buffered' : 'unbuffered'],
  }),
  policy: (cfg) => tracerPolicy(cfg, { batchSize: CONSOLE_BATCH }),
};
