import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/load-config.js';
import { createRuntime } from '../../../src/runtime/runtime.js';
import { ROOT } from '../../helpers/cli.js';
import { waitFor } from '../../helpers/wait.js';

// Until webhook delivery is built, a configured webhook is a failing row with the reason and
// its events are counted as lost, never silently dropped. (The fixture's events are from 2025:
// a discard-after of ten years keeps them from being discarded as too old first.)
describe('a configured webhook before delivery is built', () => {
  it('is a failing status row with the reason, its events counted as lost', async () => {
    const cfg = parseConfig(
      `[source.fx]\ntype = "replay"\npath = "${ROOT}test/fixtures/replay/small.ndjson"\nspeed = 0\n\n[webhook.ops]\nurl = "https://ops.example/hook"\nevents = ["*"]\nthrottle = "1ms"\ndiscard-after = "3650d"\n`,
      'w.toml',
    );
    const rt = await createRuntime(cfg);
    await rt.start();
    await waitFor(() => rt.snapshot().sources[0]!.state === 'finished', 5000, 'the replay');
    await rt.idle();
    const row = rt.snapshot().sinks.find((s) => s.subscriberId === 'w_ops')!;
    expect(row).toMatchObject({ id: 'ops', type: 'webhook', state: 'failing', received: 50, written: 0, droppedError: 50 });
    expect(row.lastError?.message).toBe('webhook ops: webhook delivery is not built yet; events for it are not sent');
    await rt.stop();
  });
});
