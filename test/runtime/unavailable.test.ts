import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/load-config.js';
import { createRuntime } from '../../src/runtime/runtime.js';
import { ROOT } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

describe('a sink that cannot reach its peer', () => {
  it('stays in the status as failing with its reason, and its events count as lost', async () => {
    const cfg = parseConfig(
      `[source.fx]\ntype = "replay"\npath = "${ROOT}test/fixtures/replay/small.ndjson"\nspeed = 0\n\n[tracer.j]\ntype = "journal"\nlevel = "trace"\nsocket = "/nonexistent/journal.socket"\n`,
      'j.toml',
    );
    const rt = await createRuntime(cfg);
    await rt.start();
    await waitFor(() => rt.snapshot().sources[0]!.state === 'finished', 5000, 'the replay');
    await rt.idle();
    const sink = rt.snapshot().sinks[0]!;
    expect(sink).toMatchObject({ id: 'j', type: 'journal', state: 'failing', received: 50, written: 0, droppedError: 50 });
    expect(sink.lastError?.message).toMatch(/^no journald listens at \/nonexistent\/journal\.socket \(ENOENT\): \d+ events? lost$/);
    await rt.stop();
  });
});
