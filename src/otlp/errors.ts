/**
 * Reading the errors the official OTLP exporters (0.223) and grpc-js produce: one line of text
 * for the status, and whether trying again may help. Used by the tracer and the metrics push.
 */

export interface ErrorLike {
  message: string;
  code?: string | number;
  name?: string;
}

export function asError(e: unknown): ErrorLike | undefined {
  if (e === undefined || e === null) return undefined;
  if (typeof e === 'string') return { message: e };
  if (typeof e === 'object' && typeof (e as ErrorLike).message === 'string') return e as ErrorLike;
  return { message: String(e) };
}

/** The HTTP status of an OTLPExporterError (`code` is the status), if any. */
export function httpStatus(e: ErrorLike): number | undefined {
  return typeof e.code === 'number' && e.code >= 100 && e.code < 600 && !/^\d+ [A-Z_]+:/.test(e.message) ? e.code : undefined;
}

/** The gRPC status name of a grpc-js error (`14 UNAVAILABLE: ...`). */
export function grpcStatus(e: ErrorLike): string | undefined {
  return /^\d+ ([A-Z_]+):/.exec(e.message)?.[1];
}

/** A one-line error text for the status: HTTP status and body for HTTP errors, grpc-js text trimmed. */
export function describeOtlpError(error: unknown): string {
  const e = asError(error) ?? { message: 'unknown error' };
  if (e.message === 'Export failed with retryable status') {
    return 'collector answered with a retryable status (HTTP 429/502/503/504) until the timeout';
  }
  let text = e.message.replace(/\. Resolution note: ?$/, '').replace(/\s+/g, ' ').trim() || e.name || 'export failed';
  const status = httpStatus(e);
  if (status !== undefined) {
    const data = (error as { data?: unknown }).data;
    text = `HTTP ${status} ${text}${typeof data === 'string' && data.trim() ? `: ${data.trim().slice(0, 200)}` : ''}`;
  } else if (typeof e.code === 'string' && !text.includes(e.code)) text = `${text} (${e.code})`;
  return text;
}

// Retryable: what the OTLP specification lists (HTTP 429/502/503/504; gRPC CANCELLED,
// DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, OUT_OF_RANGE, UNAVAILABLE, DATA_LOSS) plus any
// other 5xx, 408, and gRPC UNKNOWN/INTERNAL: trouble on the collector's side that may clear. A
// 4xx or INVALID_ARGUMENT/UNAUTHENTICATED/UNIMPLEMENTED... means the request itself is refused.
const GRPC_RETRYABLE = new Set([1, 2, 4, 8, 10, 11, 13, 14, 15]);

/** True when the collector is down, slow or failing (try again); false when it refused the request. */
export function isRetryable(error: unknown): boolean {
  const e = asError(error);
  if (!e) return true;
  const grpcCode = (error as { metadata?: unknown }).metadata !== undefined && typeof e.code === 'number' ? e.code : undefined;
  if (grpcCode !== undefined) return GRPC_RETRYABLE.has(grpcCode);
  const status = httpStatus(e);
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  return true;
}

export interface ExportFailure {
  message: string;
  retry: boolean;
}

/** An exporter error as the status shows it, with whether to retry. */
export function readOtlpError(error: unknown): ExportFailure {
  return { message: describeOtlpError(error), retry: isRetryable(error) };
}
