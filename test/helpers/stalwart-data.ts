import { readFileSync } from 'node:fs';

/** The vendored Stalwart data (data/stalwart/, see its README). */
export const STALWART_DATA = new URL('../../data/stalwart/', import.meta.url);

/**
 * The rows of one vendored TSV (`events-v0.15.tsv`, `events-v0.16.tsv`, `metrics-v0.15.tsv`),
 * header dropped, each split into its cells. Tests read these files directly, independently of
 * the generated catalogue, so a generator bug cannot hide behind itself.
 */
export function stalwartTsv(file: string): string[][] {
  return readFileSync(new URL(file, STALWART_DATA), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t'));
}
