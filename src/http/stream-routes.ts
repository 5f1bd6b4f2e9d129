// The event-stream routes (streams.ts serves them), in a file of their own: `check` and
// --status-json list them (describe.ts), and that code loads with the console's first frame,
// which has no use for the server itself.
export const STREAM_ROUTES = {
  tokens015: { tracing: '/api/telemetry/live/tracing-token', metrics: '/api/telemetry/live/metrics-token' },
  tokens016: { tracing: '/api/token/tracing', metrics: '/api/token/metrics' },
  streams015: { tracing: '/api/telemetry/traces/live', metrics: '/api/telemetry/metrics/live' },
  streams016: { tracing: '/api/live/tracing', metrics: '/api/live/metrics' },
} as const;

/** Every route served, for `check` and `--status-json`. */
export const ROUTE_LIST: readonly string[] = Object.values(STREAM_ROUTES).flatMap((r) => [r.tracing, r.metrics]);
