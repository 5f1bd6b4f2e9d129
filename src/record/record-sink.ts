import { open, type FileHandle } from 'node:fs/promises';
import type { TelemetryEvent } from '../runtime/event.js';
import type { Sink, WriteResult } from '../runtime/types.js';
import { encodeRecordLine } from './encode.js';

/**
 * `--record FILE`: appends every event as one NDJSON line the replay source reads back. It runs
 * as a lossy subscriber (a bounded queue that sheds instead of holding the sources back), so a
 * slow or full disk costs recorded events, counted, never the pipeline; a failed open or write
 * makes the row failing with the reason and the next batch tries again.
 */
export function createRecordSink(path: string): Sink {
  let fh: FileHandle | undefined;
  let bytes = 0;
  let events = 0;
  const problem = (what: string, e: unknown) => {
    const err = e as NodeJS.ErrnoException;
    return `${what} ${path}: ${err.code ?? ''} ${err.message}`.trim();
  };
  const ensureOpen = async (): Promise<WriteResult> => {
    if (fh) return { ok: true };
    try {
      fh = await open(path, 'a');
      return { ok: true };
    } catch (e) {
      return { ok: false, error: problem('cannot open', e), retry: false };
    }
  };
  return {
    id: 'record',
    type: 'record',
    target: path,
    start: ensureOpen,
    async write(batch: readonly TelemetryEvent[]): Promise<WriteResult> {
      const opened = await ensureOpen();
      if (!opened.ok) return opened;
      let text = '';
      for (const ev of batch) text += encodeRecordLine(ev);
      try {
        const buf = Buffer.from(text, 'utf8');
        let off = 0;
        while (off < buf.length) off += (await fh!.write(buf, off)).bytesWritten;
        bytes += buf.length;
        events += batch.length;
        return { ok: true };
      } catch (e) {
        // Reopen next time: the file may have been removed or the disk freed.
        await fh?.close().catch(() => undefined);
        fh = undefined;
        return { ok: false, error: problem('cannot write to', e), retry: false };
      }
    },
    async close() {
      await fh?.close().catch(() => undefined);
      fh = undefined;
    },
    details: () => ({ file: path, bytes, recorded: events }),
  };
}

/** `mailtel-<UTC time>.ndjson`: the file name of a recording started from the console. */
export function recordFileName(now: number): string {
  return `mailtel-${new Date(now).toISOString().slice(0, 19).replace(/:/g, '-')}Z.ndjson`;
}

/** Writes `events` (the console's filtered history) to `path` as a recording; the line count. */
export async function saveEvents(path: string, events: readonly TelemetryEvent[]): Promise<number> {
  const fh = await open(path, 'wx');
  try {
    let text = '';
    for (const ev of events) {
      text += encodeRecordLine(ev);
      if (text.length > 1 << 20) {
        await fh.write(text);
        text = '';
      }
    }
    await fh.write(text);
  } finally {
    await fh.close();
  }
  return events.length;
}
