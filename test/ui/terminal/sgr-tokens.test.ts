import { readFileSync } from 'node:fs';
import { tokenize } from '@alcalzone/ansi-tokenize';
import { describe, expect, it } from 'vitest';
import { deferSegmenter } from '../../../scripts/esbuild-shared.mjs';
import { sgrTokens } from '../../../src/ui/terminal/sgr-tokens.js';

const sgr = (params: string) => `\x1b[${params}m`;

/** A small seeded generator, so a failure names a sequence that comes back. */
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

describe('SGR tokens without the segmenter', () => {
  it('match the real tokenizer on every single code, leading zeros and empty parameters', () => {
    const seqs = ['', ';', ';;', '0;', ';1', '1;;2', '01', '001', '039', '049', '0022', '38', '48', '38;', '48;5;', '38;5', '48;2;1;2', '38;2;1;2;', '38;5;;', '38;6;1'];
    for (let n = 0; n <= 255; n++) seqs.push(String(n));
    for (let n = 0; n <= 255; n += 5) seqs.push(`38;5;${n}`, `48;5;${n}`, `38;2;${n};${255 - n};7`, `48;2;0;${n};255`);
    for (const p of seqs) expect(sgrTokens(sgr(p)), JSON.stringify(p)).toEqual(tokenize(sgr(p)));
    expect(seqs.length).toBeGreaterThan(350);
  });

  it('match it on compound sequences (colours kept whole, the rest split)', () => {
    const next = rng(14);
    const part = () => {
      switch (next(6)) {
        case 0:
          return `38;5;${next(256)}`;
        case 1:
          return `48;2;${next(256)};${next(256)};${next(256)}`;
        case 2:
          return String(next(110));
        case 3:
          return ['1', '2', '3', '4', '7', '9', '22', '23', '24', '27', '29', '39', '49', '0'][next(14)]!;
        case 4:
          return ['38', '48', '38;5', '48;2;1', ''][next(5)]!;
        default:
          return String(90 + next(18));
      }
    };
    for (let i = 0; i < 3000; i++) {
      const params = Array.from({ length: 1 + next(5) }, part).join(';');
      expect(sgrTokens(sgr(params)), JSON.stringify(params)).toEqual(tokenize(sgr(params)));
    }
  });
});

describe('segmenters made at first use in the bundle (scripts/esbuild-shared.mjs)', () => {
  it('defers the one top-level Intl.Segmenter of each module, and fails on a module without one', () => {
    for (const file of ['node_modules/slice-ansi/tokenize-ansi.js', 'node_modules/@alcalzone/ansi-tokenize/build/tokenize.js']) {
      const before = readFileSync(file, 'utf8');
      const after = deferSegmenter(before, file);
      expect(before).toMatch(/^const \w+ = new Intl\.Segmenter\(/m);
      expect(after, file).not.toMatch(/^const \w+ = new Intl\.Segmenter\(/m);
      expect(after).toMatch(/^const \w+ = \{ made: undefined, segment\(s\) \{ return \(this\.made \?\?= new Intl\.Segmenter\(undefined, \{ ?granularity: ["']grapheme["'] ?\}\)\)\.segment\(s\); \} \};$/m);
      // Only that line changes.
      const lines = before.split('\n');
      expect(after.split('\n').filter((l: string, i: number) => l !== lines[i])).toHaveLength(1);
    }
    expect(() => deferSegmenter('export const x = 1;\n', 'x.js')).toThrow(/x\.js: no top-level Intl\.Segmenter/);
  });

  it('the deferred segmenter segments as the real one', () => {
    const source = deferSegmenter("const seg = new Intl.Segmenter(undefined, {granularity: 'grapheme'});\nreturn [...seg.segment(text)].map((s) => s.segment);", 'inline.js');
    const run = new Function('text', source) as (text: string) => string[];
    const text = 'e\u0301 👍🏽 🇫🇷 ok';
    expect(run(text)).toEqual([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)].map((s) => s.segment));
  });
});
