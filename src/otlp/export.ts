import type { ExportResult } from '@opentelemetry/core';

/**
 * How long past its own timeout an exporter may take to call back before the call counts as
 * failed. The exporters answer within `timeoutMillis`; this only covers one that never calls back.
 */
export const EXPORT_GUARD_MS = 2_000;

/** The part of an OTLP exporter (logs, traces or metrics) an export needs. */
export interface Exporter<T> {
  export(items: T, done: (result: ExportResult) => void): void;
}

/** One exporter call as a promise that always settles: `code` 0 is success. Never rejects. */
export function exportWithTimeout<T>(exporter: Exporter<T>, items: T, timeoutMs: number): Promise<{ code: number; error?: unknown }> {
  const limit = timeoutMs + EXPORT_GUARD_MS;
  return new Promise((resolve) => {
    const guard = setTimeout(() => resolve({ code: 1, error: new Error(`no answer within ${limit} ms (timeout)`) }), limit);
    guard.unref();
    try {
      exporter.export(items, (r) => {
        clearTimeout(guard);
        resolve({ code: r.code, error: r.error });
      });
    } catch (err) {
      clearTimeout(guard);
      resolve({ code: 1, error: err });
    }
  });
}
