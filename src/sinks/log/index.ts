import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SinkKind } from '../kind.js';
import { tracerPolicy } from '../policy.js';
import { readLogTracer, type LogTracerConfig } from './config.js';
import { ROTATIONS } from './rotation.js';
import { createLogSink } from './sink.js';

const lines = (multiline: boolean) => (multiline ? 'multi-line' : 'single-line');

/** Log files (docs/stalwart.md §1a): `<path>/<prefix>.<period>`, named by the wall clock at open, rotated by event time past the boundary. */
export const logKind: SinkKind<LogTracerConfig> = {
  name: 'log',
  section: 'tracer',
  aliases: ['log'],
  label: 'log tracer',
  read: readLogTracer,
  build: async (cfg) => createLogSink(cfg),
  describe: (t) => ({
    target: join(t.path, t.prefix + ROTATIONS[t.rotate].pattern),
    extra: [
      `rotate ${t.rotate}`,
      t.ansi ? 'ansi' : 'no ansi',
      lines(t.multiline),
      // A deliberate difference from Stalwart, which never creates the directory.
      ...(existsSync(t.path) ? [] : ['the directory does not exist: mailtel creates it at start (Stalwart would not: telemetry.log-error)']),
    ],
  }),
  policy: (cfg) => tracerPolicy(cfg),
};
