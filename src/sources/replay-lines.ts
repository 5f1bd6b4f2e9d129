import { createReadStream } from 'node:fs';

/**
 * Streams a file as batches of lines (one batch per ~1 MiB read), so a replay at full speed
 * pays one await per chunk instead of one per line. Lines end at `\n`; a trailing `\r` is
 * dropped (CRLF files). The last line needs no newline. Read errors reject the iteration.
 */
const MAX_LINE = 64 * 1024 * 1024;

export async function* readLineBatches(path: string, signal: AbortSignal): AsyncGenerator<string[]> {
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let carry = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      if (signal.aborted) return;
      const batch: string[] = [];
      let start = 0;
      for (let nl = chunk.indexOf('\n'); nl !== -1; nl = chunk.indexOf('\n', start)) {
        let line = chunk.slice(start, nl);
        if (carry !== '') {
          line = carry + line;
          carry = '';
        }
        batch.push(line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line);
        start = nl + 1;
      }
      carry += chunk.slice(start);
      if (carry.length > MAX_LINE) throw new Error(`line longer than ${MAX_LINE} characters`);
      if (batch.length > 0) yield batch;
    }
    if (carry !== '') yield [carry.charCodeAt(carry.length - 1) === 13 ? carry.slice(0, -1) : carry];
  } finally {
    stream.destroy();
  }
}
