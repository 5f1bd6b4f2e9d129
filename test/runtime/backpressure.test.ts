import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { createRuntime, type Runtime } from '../../src/runtime/runtime.js';
import { BIN } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

/** A terminal that takes 1 ms per chunk: slower than a replay at full speed. */
class SlowTerminal extends Writable {
  lines = 0;
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines += chunk.toString().split('\n').length - 1;
    setTimeout(done, 1);
  }
}

let dir: string;
let rt: Runtime | undefined;
afterEach(async () => {
  await rt?.stop(5000);
  rmSync(dir, { recursive: true, force: true });
});

describe('backpressure through the runtime', () => {
  it('a slow non-lossy sink holds a fast replay back and loses nothing; a lossy one sheds and counts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-bp-'));
    const input = join(dir, 'events.ndjson');
    writeFileSync(input, execFileSync(process.execPath, [BIN, 'generate', '--events', '3000', '--seed', '9']));
    const term = new SlowTerminal();
    const cfg = parseConfig(
      `[source.fast]\ntype = "replay"\npath = "${input}"\nspeed = 0\n\n` +
        `[tracer.console]\ntype = "console"\nlevel = "trace"\nansi = false\nbuffered = false\nqueue-size = 200\n\n` +
        `[tracer.log]\ntype = "log"\nlevel = "trace"\nlossy = true\nqueue-size = 50\npath = "${join(dir, 'logs')}"\n`,
      'bp.toml',
    );
    rt = await createRuntime(cfg, { consoleOut: term });
    await rt.start();
    let sawHeld = false;
    let maxDepth = 0;
    await waitFor(
      () => {
        const s = rt!.snapshot();
        sawHeld ||= s.collector.backpressured;
        maxDepth = Math.max(maxDepth, s.sinks[0]!.queueDepth);
        return s.sources[0]!.state === 'finished';
      },
      30_000,
      'the replay to finish',
    );
    await rt.idle();
    const s = rt.snapshot();
    const [consoleSink, logSink] = s.sinks;
    expect(sawHeld).toBe(true);
    expect(maxDepth).toBeLessThanOrEqual(200);
    expect(consoleSink).toMatchObject({ received: 3000, written: 3000, droppedIntentional: 0, droppedError: 0 });
    // idle() means the sink wrote everything; the slow terminal takes the last chunks after.
    await waitFor(() => term.lines >= 3000, 10_000, 'the terminal to take every line');
    expect(term.lines).toBe(3000);
    // the lossy log sink is never a reason to hold the source back, and accounts for every event
    expect(logSink!.received).toBe(3000);
    expect(logSink!.written + logSink!.droppedIntentional).toBe(3000);
  });
});
