import type { OtelTracerConfig } from '../../config/types.js';
import type { Sink } from '../../runtime/types.js';

// STUB: replaced by the OpenTelemetry tracer sink (issue 4).
export async function createOtelTracerSink(cfg: OtelTracerConfig, _serviceVersion: string): Promise<Sink> {
  throw new Error(`open-telemetry tracer not implemented (${cfg.id})`);
}
