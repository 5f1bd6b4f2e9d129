import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runMailtel, statusLines } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

/** True once bin/mailtel.js ran its first lines (handlers, then `process.title = 'mailtel'`). */
function handlersInstalled(pid: number): boolean {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'mailtel';
}

// A service manager may stop mailtel at any moment of start-up: the handlers exist from the
// first line of JavaScript (bin/mailtel.js), before the bundle, the config or any sink loads,
// so a signal during start-up is a clean stop with exit 0 and a final status. (Before that
// line Node itself is booting, which no JavaScript can cover: on a loaded 2-core machine that
// takes from 40 ms to over a second, so the delays count from the moment the handler exists.)
describe('a signal during start-up', () => {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    for (const delay of [0, 50, 150]) {
      it(`${sig} ${delay} ms into start-up stops cleanly with exit 0 and a final status`, async () => {
        const run = runMailtel(['--headless', '--status-json']);
        await waitFor(() => handlersInstalled(run.child.pid!), 10_000, 'the first line of JavaScript');
        await new Promise((r) => setTimeout(r, delay));
        run.child.kill(sig);
        const code = await run.exit;
        expect({ code, signal: run.child.signalCode }).toEqual({ code: 0, signal: null });
        expect(statusLines(run.stdout()).filter((s) => s.final)).toHaveLength(1);
      });
    }
  }
});
