import { afterEach, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../src/runtime/runtime.js';
import type { DeliveryRecord } from '../../../src/runtime/types.js';
import { webhooksLines } from '../../../src/ui/panes/webhooks-pane.js';
import { stripSgr } from '../../../src/ui/text/styled.js';
import { loadTheme } from '../../../src/ui/theme.js';
import { replayRuntime, screen, type Screen } from '../../helpers/ui-screen.js';

let rt: Runtime | undefined;
let s: Screen | undefined;
afterEach(async () => {
  s?.unmount();
  await rt?.stop();
  s = rt = undefined;
});

describe('webhooks pane', () => {
  // Until webhook delivery lands, the runtime configures a webhook but never records a delivery
  // (snapshot().deliveries stays []). So this test covers only that a configured webhook replaces
  // the "no webhook configured" hint with its empty ledger, after f asked for a flush. How the
  // ledger draws real records is the next test's job. When deliveries are recorded, the first
  // expectation below fails: then check the newest delivery's row against the snapshot here.
  it('webhooks pane: a configured webhook shows its ledger (empty: no delivery is recorded yet)', async () => {
    ({ rt } = await replayRuntime(`[webhook.ops]\nurl = "http://127.0.0.1:9/hook"\nevents = ["*"]\nthrottle = "100ms"\n`));
    const r = rt;
    s = screen(r, { cols: 120, rows: 40 });
    await s.press('f');
    const text = await s.waitForFrame((t) => t.includes(' Webhooks '), 'the webhooks pane');
    expect(r.snapshot().deliveries).toEqual([]);
    expect(text).not.toContain('no webhook configured');
    expect(text).toContain('no delivery yet (f flushes now)');
  });

  it('the ledger lines: newest first with status, latency, attempt and retry countdown', () => {
    const theme = loadTheme('mono', {});
    const now = Date.UTC(2025, 5, 15, 18, 0, 10);
    const deliveries: DeliveryRecord[] = [
      { at: now - 1000, webhookId: 'ops', events: 120, error: 'connect ECONNREFUSED 127.0.0.1:9', latencyMs: 3, attempt: 2, nextAttemptAt: now + 2000 },
      { at: now - 5000, webhookId: 'ops', events: 7, status: 200, latencyMs: 85, attempt: 1 },
    ];
    const lines = webhooksLines({ configured: true, deliveries, now, cursor: 0, focused: false, width: 100, height: 5, theme }).map(stripSgr);
    expect(lines[1]).toContain('time');
    expect(lines[2]).toMatch(/^ 18:00:09 ops +120 ev +ERR +3ms #2 +retry in 2s connect ECONNREFUSED 127\.0\.0\.1:9$/);
    expect(lines[3]).toMatch(/^ 18:00:05 ops +7 ev +200 +85ms #1 *$/);
  });
});
