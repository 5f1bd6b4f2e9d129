import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLineBatches } from '../../src/sources/replay-lines.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function readAll(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of readLineBatches(path, new AbortController().signal)) out.push(...batch);
  return out;
}

describe('readLineBatches', () => {
  it('gives every line whole, multi-byte characters across chunk edges included, to 17 readers at once (each reads a smaller share)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailtel-lines-'));
    // ~2.4 MB of lines with 2-, 3- and 4-byte characters, CRLF on every third line, no final newline.
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"n":${i},"s":"${'é€😀'.repeat(i % 17)}${'x'.repeat(i % 61)}"}`);
    const path = join(dir, 'lines.ndjson');
    writeFileSync(path, lines.map((l, i) => l + (i === lines.length - 1 ? '' : i % 3 === 0 ? '\r\n' : '\n')).join(''));
    const all = await Promise.all(Array.from({ length: 17 }, () => readAll(path)));
    for (const got of all) expect(got).toEqual(lines);
  });
});
