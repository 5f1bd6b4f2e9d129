import { Writable } from 'node:stream';

/**
 * Where the console tracer writes while the screen is up: stderr would tear the screen, so its
 * lines are kept here (the last `max`) and the console shows them. Bytes are counted.
 */
export class CaptureStream extends Writable {
  lines: string[] = [];
  bytes = 0;
  private partial = '';

  constructor(private readonly max = 500) {
    super({ decodeStrings: false });
  }

  override _write(chunk: unknown, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    const text = typeof chunk === 'string' ? chunk : String(chunk);
    this.bytes += Buffer.byteLength(text);
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    this.lines.push(...parts);
    if (this.lines.length > this.max) this.lines.splice(0, this.lines.length - this.max);
    done();
  }
}
