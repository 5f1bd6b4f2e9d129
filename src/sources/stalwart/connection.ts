import { EventSource } from 'eventsource';
import { isTlsError, sseFetch, type StreamWatch } from './http-client.js';
import type { ThreadTrace } from './trace-ingest.js';

/** A trace frame read on the stream's own thread, with its repeat counters (v0.16 streams). */
export interface ThreadFrame {
  repeatFrames: number;
  skippedBytes: number;
  /** The frame only repeated earlier events. */
  repeated?: true;
  trace?: ThreadTrace;
}

export type Outcome =
  /** The server ended the stream or the connection dropped. */
  | { kind: 'dropped'; reason: string }
  /** 401/403 on the stream: the token was refused (expired on the way, or revoked). */
  | { kind: 'auth'; status: number }
  | { kind: 'not-found' }
  | { kind: 'tls'; reason: string }
  /** A frame over the size limit: the connection was cut on purpose. */
  | { kind: 'oversize'; bytes: number }
  /** Closed on purpose to restart a stream whose frames repeat every event (repeats.ts). */
  | { kind: 'restart'; bytes: number }
  /** Nothing (not even a ping) for twice the ping interval. */
  | { kind: 'dead'; silentMs: number }
  | { kind: 'stopped' };

export interface ConnectionOptions {
  url: URL;
  allowInvalidCerts: boolean;
  timeoutMs: number;
  maxFrameBytes: number;
  now: () => number;
  signal: AbortSignal;
  /** The named SSE events to hand on (`trace`, `ping`, `metrics`). */
  events: readonly string[];
  onOpen(): void;
  onFrame(event: string, data: string): void;
  /** Ping interval currently believed, ms (2x this without a byte = dead). */
  pingIntervalMs(): number;
  /**
   * When the stream runs on its own thread (threaded.ts), `trace` frames are read there and come
   * to `onTrace` instead of `onFrame`: repeats cut when `skipRepeats`, the stream restarted once
   * a repeating frame reaches `restartAt` bytes. Ignored on the main thread.
   */
  ingest?: { skipRepeats: boolean; restartAt: number; onTrace(f: ThreadFrame): void };
}

export interface Connection {
  /** Resolves once, when the stream is over; `cutBytes` > 0 when it stopped inside a frame. */
  done: Promise<{ outcome: Outcome; cutBytes: number; frames: number }>;
  watch(): StreamWatch | undefined;
  /** Ends the stream on purpose, after the frame being handed on: outcome `restart`. */
  restart(bytes: number): void;
}

/** One SSE connection through the `eventsource` package; its own retry is never used. */
export function connect(o: ConnectionOptions): Connection {
  let watch: StreamWatch | undefined;
  let finished = false;
  let timer: NodeJS.Timeout | undefined;
  let resolveDone!: (v: { outcome: Outcome; cutBytes: number; frames: number }) => void;
  const done = new Promise<{ outcome: Outcome; cutBytes: number; frames: number }>((r) => (resolveDone = r));
  const es = new EventSource(o.url, {
    fetch: sseFetch({
      allowInvalidCerts: o.allowInvalidCerts,
      timeoutMs: o.timeoutMs,
      maxFrameBytes: o.maxFrameBytes,
      now: o.now,
      onWatch: (w) => (watch = w),
    }),
  });
  const finish = (outcome: Outcome) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    o.signal.removeEventListener('abort', onAbort);
    es.close();
    const cutBytes = watch && !watch.oversize && watch.guard.cut ? watch.guard.pending : 0;
    resolveDone({ outcome, cutBytes, frames: watch?.guard.frames ?? 0 });
  };
  const onAbort = () => finish({ kind: 'stopped' });
  o.signal.addEventListener('abort', onAbort);
  if (o.signal.aborted) onAbort();

  const checkAlive = () => {
    if (finished) return;
    const limit = 2 * o.pingIntervalMs();
    const w = watch;
    const silent = w ? o.now() - w.lastByteAt : 0;
    if (w && w.status === 200 && !w.held && silent >= limit) return finish({ kind: 'dead', silentMs: silent });
    timer = setTimeout(checkAlive, Math.max(20, Math.min(1000, limit - silent)));
    timer.unref?.();
  };
  es.addEventListener('open', () => {
    o.onOpen();
    checkAlive();
  });
  for (const name of o.events) es.addEventListener(name, (m: MessageEvent<string>) => o.onFrame(name, m.data));
  es.addEventListener('error', (e) => {
    const status = watch?.status ?? e.code;
    if (watch?.oversize) return finish({ kind: 'oversize', bytes: watch.guard.pending });
    if (status === 401 || status === 403) return finish({ kind: 'auth', status });
    if (status === 404) return finish({ kind: 'not-found' });
    if (isTlsError(watch?.error)) return finish({ kind: 'tls', reason: `${watch!.error!.code ?? 'TLS'}: ${watch!.error!.message}` });
    if (status !== undefined && status !== 200) return finish({ kind: 'dropped', reason: `HTTP ${status} on the stream` });
    const why = watch?.error ? `${watch.error.code ?? ''} ${watch.error.message}`.trim() : (e.message ?? 'the server ended the stream');
    finish({ kind: 'dropped', reason: why });
  });
  return { done, watch: () => watch, restart: (bytes) => finish({ kind: 'restart', bytes }) };
}
