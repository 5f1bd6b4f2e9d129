#!/usr/bin/env node
// `npm run bench`: every benchmark, one after the other, each printing its own figures.
// BENCH_EVENTS overrides the 1,000,000 events of the pipeline benchmark, BENCH_WEBHOOK_EVENTS the
// 100,000 of the webhook benchmark, BENCH_LIVE_EVENTS the 200,000 of the live-ingest one.
import { existsSync } from 'node:fs';

const benches = ['pipeline', 'render', 'startup', 'journal', 'webhook', 'streams', 'live-ingest'];
for (const name of benches) {
  const file = new URL(`./${name}.mjs`, import.meta.url);
  if (!existsSync(file)) continue;
  console.log(`\n== ${name}`);
  const mod = await import(file.href);
  await mod.main();
}
