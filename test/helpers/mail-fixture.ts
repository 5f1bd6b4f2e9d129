import { createWriteStream, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { generate } from '../../src/generate.js';

/**
 * A replay fixture with mail traffic for the mail views: the seeded demo generator's output
 * (what `mailtel generate` writes), made once per test file in a temp dir rather than kept as
 * a large file in the repository. 3,000 events at 40/s from 2026-11-29T06:00:00Z.
 */
export async function mailFixture(events = 3000, seed = 7): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'mailtel-mail-')), `mail-${seed}.ndjson`);
  const out = createWriteStream(path);
  await generate({ events, seed, rate: 40, start: Date.parse('2026-11-29T06:00:00Z') }, out);
  out.end();
  await finished(out);
  return path;
}
