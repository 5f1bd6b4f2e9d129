import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';
import { requireTmux, Tmux } from './tmux.js';

// The real `mailtel` command in a real terminal (tmux), the demo source into a webhook whose
// receiver (in this process) fails with 500 at first: the webhooks pane shows the webhook
// retrying with Stalwart's error, then ok once the receiver recovers, its delivered count growing;
// its digit switches it off (the receiver stops getting events) and on again.

let dir: string;
let tmux: Tmux | undefined;
let rx: WebhookReceiver | undefined;
beforeAll(() => {
  requireTmux();
  if (!existsSync(join(ROOT, 'dist/cli.js'))) throw new Error('dist/ is missing: run `npm run build` (npm test builds first)');
  dir = mkdtempSync(join(tmpdir(), 'mailtel-webhook-console-'));
});
afterEach(async () => {
  tmux?.kill();
  await rx?.close();
  tmux = rx = undefined;
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; screen:\n${tmux!.screen().join('\n')}`);
    await sleep(50);
  }
}

/** The webhooks pane's row for `ops` (below the pane's title), split into columns. */
function webhookRow(): string[] | undefined {
  const lines = tmux!.screen();
  const title = lines.findIndex((l) => l.includes(' Webhooks '));
  if (title < 0) return undefined;
  const col = title >= 0 ? [...lines[title]!].indexOf('W') - 1 : 0;
  const row = lines
    .slice(title + 1)
    .map((l) => [...l].slice(col).join(''))
    .find((l) => /^\s*\d ops\s/.test(l));
  return row?.trim().split(/\s+/);
}

describe('webhook in a terminal', () => {
  for (const [cols, rows] of [
    [120, 40],
    [80, 24],
  ] as const) {
    it(`${cols}x${rows}: a failing webhook shows retrying with the error, then ok when the receiver recovers; its digit stops and resumes delivery`, async () => {
      rx = await startWebhookReceiver();
      let failing = true;
      rx.answer = () => (failing ? 500 : 200);
      const cfg = join(dir, `mailtel-${cols}.toml`);
      writeFileSync(cfg, `[source.demo]\ntype = "demo"\nrate = 40\nseed = 7\n\n[webhook.ops]\nurl = "${rx.url}"\nevents = ["*"]\nthrottle = "300ms"\n`);
      const done = join(dir, `exit-${cols}`);
      tmux = new Tmux();
      tmux.start(`cd ${JSON.stringify(ROOT)} && ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --config ${JSON.stringify(cfg)}; echo $? > ${JSON.stringify(done)}; sleep 60`, cols, rows, { TERM: 'xterm-256color' });
      // Focus the webhooks pane so it has room for its ledger at 80x24 too.
      await until('the console', () => tmux!.screen()[0]?.startsWith(' mailtel ') && webhookRow());
      // Tab until the footer shows the webhooks pane's keys (one key at a time, each seen).
      const footer = () => tmux!.screen().find((l) => l.includes('q quit')) ?? '';
      for (let i = 0; i < 3; i++) {
        const before = footer();
        tmux.keys('Tab');
        await until('the focus to move', () => footer() !== before);
      }
      expect(footer()).toContain('f flush');
      await until('the webhook retrying with 500', () => {
        const r = webhookRow();
        return r && r[2] === 'retrying' && r.includes('500');
      });
      const screen = tmux.screen().join('\n');
      expect(screen).toMatch(/500 +\d+ms #\d+ +Webhook/);
      expect(screen).toMatch(/ERROR webhook ops: Webhook request to http:\/\/127\.0\.0\.1:\d+\/hook fai/);
      expect(rx.accepted).toHaveLength(0);

      failing = false;
      await until('the webhook ok after the receiver recovered', () => {
        const r = webhookRow();
        return r && (r[2] === 'ok' || r[2] === 'sending') && r.includes('200');
      });
      await until('events delivered', () => rx!.events().length > 20);

      tmux.keys('1');
      await until('the webhook row off', () => webhookRow()?.[2] === 'off');
      const settle = async () => {
        let last = rx!.events().length;
        let since = Date.now();
        await until('deliveries to settle', () => {
          const n = rx!.events().length;
          if (n !== last) [last, since] = [n, Date.now()];
          return Date.now() - since > 1000;
        });
        return last;
      };
      const atOff = await settle();
      await sleep(1000);
      expect(rx.events().length).toBe(atOff);

      tmux.keys('1');
      await until('deliveries again', () => rx!.events().length > atOff + 10);

      tmux.keys('q');
      await until('the exit code', () => existsSync(done) && readFileSync(done, 'utf8').trim(), 30_000);
      expect(readFileSync(done, 'utf8').trim()).toBe('0');
    });
  }
});
