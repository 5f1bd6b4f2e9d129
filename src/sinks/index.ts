import type { TracerConfig } from '../config/types.js';
import type { Sink } from '../runtime/types.js';
import { createConsoleSink } from './console/index.js';
import { createLogSink } from './log/index.js';

export interface SinkDeps {
  /** Where the console tracer writes: stderr headless, a capture buffer under the screen. */
  consoleOut: NodeJS.WritableStream;
  serviceVersion: string;
}

/** Builds the sink for one tracer. OpenTelemetry loads lazily: it costs start-up time. */
export async function createTracerSink(t: TracerConfig, deps: SinkDeps): Promise<Sink> {
  switch (t.type) {
    case 'log':
      return createLogSink(t);
    case 'console':
      return createConsoleSink(t, deps.consoleOut);
    case 'otel': {
      const { createOtelTracerSink } = await import('./otel/index.js');
      return createOtelTracerSink(t, deps.serviceVersion);
    }
    case 'journal':
      throw new Error('the journal sink is not built yet');
  }
}
