import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

/**
 * Streams a file as batches of lines (one batch per chunk read), so a replay at full speed
 * pays one await per chunk instead of one per line. Lines end at `\n`; a trailing `\r` is
 * dropped (CRLF files). The last line needs no newline. Read errors reject the iteration.
 *
 * Chunks are read into one reused buffer per file. Their size is shared out: all the files being
 * read at once together read about 1 MiB at a time (1 MiB for one, 64 KiB each from 16 on), so
 * many replay sources do not each hold a megabyte-sized chunk (measured, 16 sources of 100k
 * events into one log tracer: peak RSS 268-286 MB with 1 MiB each, 113-117 MB with 64 KiB).
 */
const MAX_LINE = 64 * 1024 * 1024;
const MAX_CHUNK = 1 << 20;
const MIN_CHUNK = 1 << 16;

/** Files being read now (by every replay source of the process). */
let readers = 0;

/** This reader's share of MAX_CHUNK, a power of two between MIN_CHUNK and MAX_CHUNK. */
function chunkSize(): number {
  let size = MAX_CHUNK;
  while (size > MIN_CHUNK && size * readers > MAX_CHUNK) size >>= 1;
  return size;
}

export async function* readLineBatches(path: string, signal: AbortSignal): AsyncGenerator<string[]> {
  const file = await open(path, 'r');
  readers++;
  const decoder = new StringDecoder('utf8');
  let buf = Buffer.allocUnsafe(0);
  let carry = '';
  try {
    for (;;) {
      if (signal.aborted) return;
      const size = chunkSize();
      if (buf.length !== size) buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await file.read(buf, 0, size, null);
      if (bytesRead === 0) break;
      if (signal.aborted) return;
      const chunk = decoder.write(buf.subarray(0, bytesRead));
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
    carry += decoder.end();
    if (carry !== '') yield [carry.charCodeAt(carry.length - 1) === 13 ? carry.slice(0, -1) : carry];
  } finally {
    readers--;
    await file.close();
  }
}
