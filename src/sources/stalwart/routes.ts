import type { ApiGeneration } from './config.js';

/** The live API's routes of one generation (docs/stalwart.md §4): where tokens come from, where streams are. */
export interface Routes {
  generation: ApiGeneration;
  tracingToken: string;
  metricsToken: string;
  tracing: string;
  metrics: string;
  /** v0.15 wraps the token as `{"data":"<token>"}`; v0.16 answers it as plain text. */
  tokenIsJson: boolean;
}

export const ROUTES: Readonly<Record<ApiGeneration, Routes>> = {
  'v0.16': {
    generation: 'v0.16',
    tracingToken: '/api/token/tracing',
    metricsToken: '/api/token/metrics',
    tracing: '/api/live/tracing',
    metrics: '/api/live/metrics',
    tokenIsJson: false,
  },
  'v0.15': {
    generation: 'v0.15',
    tracingToken: '/api/telemetry/live/tracing-token',
    metricsToken: '/api/telemetry/live/metrics-token',
    tracing: '/api/telemetry/traces/live',
    metrics: '/api/telemetry/metrics/live',
    tokenIsJson: true,
  },
};

/** Reads a token reply body; undefined when it holds no token. */
export function parseToken(body: string, routes: Routes): string | undefined {
  if (!routes.tokenIsJson) {
    const t = body.trim();
    // Some proxies re-wrap; accept a JSON string or {"data":...} here too.
    if (t.startsWith('{') || t.startsWith('"')) return jsonToken(t);
    return t === '' ? undefined : t;
  }
  return jsonToken(body);
}

function jsonToken(body: string): string | undefined {
  try {
    const v: unknown = JSON.parse(body);
    if (typeof v === 'string' && v !== '') return v;
    if (typeof v === 'object' && v !== null && typeof (v as { data?: unknown }).data === 'string') return (v as { data: string }).data || undefined;
  } catch {
    return undefined;
  }
  return undefined;
}

/** Metrics asked for (the official dashboard's gauges): an empty event list means every non-zero counter. */
export const LIVE_GAUGES = [
  'server.memory',
  'queue.count',
  'user.count',
  'domain.count',
  'smtp.active-connections',
  'imap.active-connections',
  'pop3.active-connections',
  'http.active-connections',
  'delivery.active-connections',
];
