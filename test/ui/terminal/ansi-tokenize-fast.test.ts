import { styledCharsFromTokens as realStyled, styledCharsToString as realToString, tokenize as realTokenize, type StyledChar } from '@alcalzone/ansi-tokenize';
import { describe, expect, it } from 'vitest';
import { fastTokenize, styledCharsFromTokens, styledCharsToString, tokenize } from '../../../src/ui/terminal/ansi-tokenize-fast.js';

/** mulberry32: reproducible random lines. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'a', 'Z', ' ', '~', '0', '=', '"', '\\', 'é', '·', '…', '—', '─', '│', '▁', '█', '▼', '●', '←',
  '\u001B[0m', '\u001B[1m', '\u001B[1;34m', '\u001B[90m', '\u001B[1;97;44m', '\u001B[38;5;214m',
  '\u001B[38;2;10;20;30m', '\u001B[48;5;1;1m', '\u001B[39m', '\u001B[22m', '\u001B[m',
  '\u001B[12x', '\u001B', '\u001B[', '\u001B[1;', '\u001Bx',
];
/** Pieces outside the fast set: wide, combining, astral, soft hyphen, a link. */
const SLOW_PIECES = ['日本', 'e\u0301', '👍', 'a\u00ADb', '\u001B]8;;https://x\u0007x\u001B]8;;\u0007'];

describe('fast ANSI tokenizer', () => {
  it('answers exactly the lines made of its fast set, with the real tokenizer\'s tokens and styled characters, on 5,000 generated lines', () => {
    const r = rng(42);
    let fast = 0;
    let slow = 0;
    for (let n = 0; n < 5_000; n++) {
      let line = '';
      let hasSlowPiece = false;
      const len = Math.floor(r() * 40);
      for (let i = 0; i < len; i++) {
        if (r() < 0.02) {
          line += SLOW_PIECES[Math.floor(r() * SLOW_PIECES.length)];
          hasSlowPiece = true;
        } else line += PIECES[Math.floor(r() * PIECES.length)];
      }
      const want = realTokenize(line);
      const got = fastTokenize(line);
      // The fast path must take every line of fast pieces and give up on every other one.
      expect(got === undefined, JSON.stringify(line)).toBe(hasSlowPiece);
      if (got === undefined) slow++;
      else {
        fast++;
        expect(got, JSON.stringify(line)).toEqual(want);
      }
      expect(tokenize(line)).toEqual(want);
      expect(styledCharsFromTokens(tokenize(line))).toEqual(realStyled(want));
      expect(styledCharsToString(styledCharsFromTokens(tokenize(line)))).toBe(realToString(realStyled(want)));
    }
    // Both paths ran on a good share of the lines (about 2 in 3 are fast with this seed).
    expect(fast).toBeGreaterThan(2_000);
    expect(slow).toBeGreaterThan(1_000);
  });

  it('turns rows built like Ink\'s output grid back into the same text as the real one', () => {
    const r = rng(7);
    const blank = (): StyledChar => ({ type: 'char', value: ' ', fullWidth: false, styles: [] });
    for (let n = 0; n < 2_000; n++) {
      const row: StyledChar[] = [];
      const realRow: StyledChar[] = [];
      for (let k = Math.floor(r() * 4); k >= 0; k--) {
        let line = '';
        for (let i = Math.floor(r() * 12); i >= 0; i--) line += PIECES[Math.floor(r() * PIECES.length)];
        row.push(...styledCharsFromTokens(tokenize(line)), blank());
        realRow.push(...realStyled(realTokenize(line)), blank());
      }
      expect(styledCharsToString(row)).toBe(realToString(realRow));
    }
  });

  it('gives a row that is one remembered line then blank cells the real text, from the line\'s text remembered across frames', () => {
    const r = rng(11);
    const blank = (): StyledChar => ({ type: 'char', value: ' ', fullWidth: false, styles: [] });
    for (let n = 0; n < 2_000; n++) {
      let line = '';
      for (let i = Math.floor(r() * 30); i >= 0; i--) line += PIECES[Math.floor(r() * PIECES.length)];
      const blanks = Math.floor(r() * 5);
      // Twice, as two frames hand over the same line: the second answer comes from memory.
      for (let frame = 0; frame < 2; frame++) {
        const row = [...styledCharsFromTokens(tokenize(line)), ...Array.from({ length: blanks }, blank)];
        const realRow = [...realStyled(realTokenize(line)), ...Array.from({ length: blanks }, blank)];
        expect(styledCharsToString(row), JSON.stringify(line)).toBe(realToString(realRow));
      }
    }
    // A row whose tail is not blank, or whose cells are not the line's own, takes the long way.
    const chars = styledCharsFromTokens(tokenize('\u001B[1mab\u001B[0m'));
    const styledTail: StyledChar = { type: 'char', value: ' ', fullWidth: false, styles: chars[0]!.styles };
    expect(styledCharsToString([...chars, styledTail])).toBe(realToString([...realStyled(realTokenize('\u001B[1mab\u001B[0m')), styledTail]));
    expect(styledCharsToString([chars[0]!, { ...chars[1]!, value: 'x' }])).toBe('\u001B[1max\u001B[22m');
  });

  it('leaves links, wide, combining and astral characters to the real tokenizer', () => {
    for (const line of ['\u001B]8;;https://x\u0007x\u001B]8;;\u0007', '日本', 'e\u0301', '👍', 'a\u00ADb', '\u009B1m']) {
      expect(fastTokenize(line), JSON.stringify(line)).toBeUndefined();
      expect(tokenize(line)).toEqual(realTokenize(line));
    }
    expect(tokenize('abcdef', 3)).toEqual(realTokenize('abcdef', 3));
  });

  it('remembers a line across calls (same tokens, same styled characters)', () => {
    const line = '\u001B[90m06:57:24 \u001B[0mremoteIp=192.0.2.1';
    expect(tokenize(line)).toBe(tokenize(line));
    expect(styledCharsFromTokens(tokenize(line))).toBe(styledCharsFromTokens(tokenize(line)));
  });
});
